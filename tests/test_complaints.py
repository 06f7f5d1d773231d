"""Complaint levels (DOMAIN.md §3, §6, §9): a filled level makes a complaint; a major one opens its own problem."""
import json

import pandas as pd

from conftest import write_csv
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.core import appraisal, kpi

HEAD = "工单编号,创建时间,渠道,责任部门,处理人,优先级,问题类别,首次响应时间,解决时间,是否投诉,投诉等级\n"
ROWS = [  # ten September tickets: one flagged complaint, one complaint known only by its level, one major
    "T01,2026-09-02 09:00,电话,客服中心,张三,普通,物流延迟,2026-09-02 09:05,2026-09-02 12:00,是,一般",
    "T02,2026-09-03 09:00,电话,客服中心,张三,普通,物流延迟,2026-09-03 09:05,2026-09-03 12:00,,一般",
    "T03,2026-09-04 09:00,在线,售后服务部,李四,普通,产品质量,2026-09-04 09:05,2026-09-04 12:00,是,重大",
] + [f"T1{i},2026-09-1{i} 09:00,电话,客服中心,张三,普通,物流延迟,2026-09-1{i} 09:05,2026-09-1{i} 12:00,否,"
     for i in range(7)]


def loaded(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "t.csv", HEAD + "\n".join(ROWS) + "\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    return book


def test_a_filled_complaint_level_makes_a_complaint(book, runner, cli, tmp_path):
    loaded(book, runner, cli, tmp_path)
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["overall"]["complaint_rate_pct"] == 30.0  # T01, T02 (level only) and T03 of 10


def test_the_complaint_level_is_read_in_the_vocabularies(book, runner, cli, tmp_path):
    loaded(book, runner, cli, tmp_path)
    with FileBook(book) as b:
        t = b.read(schema.TICKETS).data.set_index("ticket_id")
    assert t.loc["T03", "complaint_level"] == "major" and t.loc["T02", "complaint_level"] == "minor"
    assert pd.isna(t.loc["T10", "complaint_level"])
    assert kpi.major_complaint(t.reset_index()).sum() == 1


def test_a_major_complaint_opens_its_own_problem_once(book, runner, cli, tmp_path):
    loaded(book, runner, cli, tmp_path)
    r = runner.invoke(cli, ["problems", str(book), "--period", "2026-09"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        p = b.read(schema.PROBLEMS).data
    mine = p[p["source"] == "complaint"]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert "T03" in row["description"] and "售后服务部" in row["description"] and "重大投诉" in row["description"]
    assert row["owner_department"] == "售后服务部" and row["origin"] == "重大投诉 · T03"
    r = runner.invoke(cli, ["problems", str(book), "--period", "2026-09"])  # again: nothing new for T03
    with FileBook(book) as b:
        again = b.read(schema.PROBLEMS).data
    assert (again["source"] == "complaint").sum() == 1


def test_major_complaints_are_counted_for_the_appraisal_deduction():
    t = pd.DataFrame({"agent": ["甲", "甲", "乙", "乙"], "complaint_level": ["major", "minor", None, "major"],
                      "status": [None, None, None, "cancelled"], "created_at": pd.Timestamp("2026-09-01")})
    # a cancelled ticket counts in tickets only (DOMAIN.md §3), as on the dashboard's 重大投诉 line
    assert appraisal.major_complaints(t, "agent").to_dict() == {"甲": 1, "乙": 0}
    assert appraisal.major_complaints(t.drop(columns="complaint_level"), "agent").sum() == 0


def test_the_major_complaints_are_counted_in_the_kpi_result_and_on_the_overview(book, runner, cli, tmp_path):
    import openpyxl

    from pyaddin.ops.kpi import MAJOR_ROW

    loaded(book, runner, cli, tmp_path)
    extra = write_csv(tmp_path / "more.csv", HEAD + "T20,2026-09-20 09:00,电话,客服中心,张三,普通,物流延迟,,,是,重大\n"
                                                   "T21,2026-08-20 09:00,电话,客服中心,张三,普通,物流延迟,,,是,重大\n")
    assert runner.invoke(cli, ["import", str(book), str(extra), "--into", "tickets", "--append"]).exit_code == 0
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"])
    assert json.loads(r.output)["major_complaints"] == 2  # T03 and T20; T21 is August's
    ws = openpyxl.load_workbook(book)[schema.KPI_CARDS.sheet("zh")]
    assert ws[f"A{MAJOR_ROW}"].value.startswith("重大投诉:本期2起")


def test_without_any_complaint_level_the_major_complaints_are_no_data(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "t.csv", "工单编号,创建时间,责任部门,是否投诉\nT1,2026-09-02 09:00,客服中心,是\n")
    assert runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"])
    assert json.loads(r.output)["major_complaints"] is None  # never 0 for a level never supplied
