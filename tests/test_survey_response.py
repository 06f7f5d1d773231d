"""Survey participation (issue 23): invitations sent and not answered import, and the response rate is computed
by hand, overall, by channel and by department."""
import json

import pytest

from conftest import write_csv
from pyaddin.book import FileBook
from pyaddin.schema import SURVEYS

SURVEYS_CSV = """问卷编号,发送时间,提交时间,渠道,责任部门,满意度评分,推荐意愿
S1,2026-09-01 10:00,2026-09-02 10:00,电话,A部,5,
S2,2026-09-01 10:00,,电话,A部,,
S3,2026-09-03 10:00,,在线,A部,,
S4,2026-09-04 10:00,2026-09-05 10:00,在线,B部,,9
S5,,2026-09-06 10:00,在线,B部,4,
S6,2026-08-30 10:00,2026-09-01 10:00,电话,B部,3,
"""
TICKET = "工单编号,创建时间,责任部门\nT1,2026-09-07 09:00,A部\n"


def test_invitations_import_and_the_response_rate_is_by_hand(runner, cli, book, tmp_path):
    for into, text in (("surveys", SURVEYS_CSV), ("tickets", TICKET)):
        r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / f"{into}.csv", text)), "--into", into])
        assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        assert len(b.read(SURVEYS).data) == 6 and not b.read(SURVEYS).issues  # S2, S3: sent, not answered
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"])
    out = json.loads(r.stdout)
    s = out["surveys"]
    assert s["overall"] == {"surveys_sent": 4, "survey_response_pct": 50.0}  # S1..S4 sent in September; S1, S4 answered
    assert s["by_department"]["A部"]["survey_response_pct"] == pytest.approx(100 / 3)
    assert s["by_department"]["B部"]["survey_response_pct"] == 100.0
    assert s["by_channel"]["phone"]["survey_response_pct"] == 50.0
    assert out["overall"]["csat_pct"] == pytest.approx(200 / 3)  # S1 5, S5 4, S6 3 submitted in September


def test_a_row_with_neither_an_answer_nor_an_invitation_is_still_an_error(runner, cli, book, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", "问卷编号,发送时间,提交时间,满意度评分\nX1,,,\nX2,2026-09-01 10:00,,5\n")
    r = runner.invoke(cli, ["import", str(book), str(bad), "--into", "surveys"])
    assert r.exit_code == 1
    # X1 (row 2) has no submission time and no answer: one problem (need one of); X2 (row 3), sent and answered, no
    # submission time
    assert "“提交时间”:必填项为空,共1处:第3行“”" in r.output
    assert "至少需要填写其中一项" in r.output and "共1处:第2行" in r.output
    with FileBook(book) as b:
        assert b.read(SURVEYS).data.empty


def test_an_export_of_invitations_alone_needs_no_submission_column(runner, cli, book, tmp_path):
    sent = write_csv(tmp_path / "sent.csv", "问卷编号,发送时间,渠道\nI1,2026-09-01 10:00,电话\nI2,2026-09-02 10:00,电话\n")
    r = runner.invoke(cli, ["import", str(book), str(sent), "--into", "surveys"])
    assert r.exit_code == 0, r.output


DIMENSIONS_CSV = """问卷编号,提交时间,责任部门,满意度评分,服务态度,响应速度,解决能力,等待体验
D1,2026-09-02 10:00,A部,5,5,3,,
D2,2026-09-03 10:00,A部,4,4,4,,2
D3,2026-09-04 10:00,B部,2,2,,,
D4,2026-08-04 10:00,B部,5,5,5,5,5
"""


def test_each_dimension_of_satisfaction_has_its_own_rate_by_hand(runner, cli, book, tmp_path):
    """服务态度 5, 4, 2 → 2 of 3 satisfied; 响应速度 3, 4 → 1 of 2; 等待体验 2 → 0 of 1; 解决能力 never scored in
    September: empty, not 0 % (D4 is August's)."""
    for into, text in (("surveys", DIMENSIONS_CSV), ("tickets", TICKET)):
        r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / f"{into}.csv", text)), "--into", into])
        assert r.exit_code == 0, r.output
    out = json.loads(runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"]).stdout)
    d = out["surveys"]["dimensions"]
    assert d["attitude"] == {"answers": 3, "pct": pytest.approx(200 / 3)}
    assert d["speed"] == {"answers": 2, "pct": 50.0} and d["wait"] == {"answers": 1, "pct": 0.0}
    assert d["resolution"] == {"answers": 0, "pct": None}
    report = tmp_path / "r.html"
    assert runner.invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(report)]).exit_code == 0
    html = report.read_text(encoding="utf-8")
    assert "满意度分维度" in html and "服务态度" in html and "解决能力" not in html.split("满意度分维度")[1][:400]
