"""行业参考 (issue 23, the seeds' 对标行业平均响应时长、满意度水平): an indicator's industry reference on 监控标准,
shown beside its target on the overview, on the KPI sheet and in the report, and nowhere when not filled."""
import openpyxl
import pandas as pd

from conftest import write_csv
from pyaddin import schema
from pyaddin.book import FileBook

TICKETS = ("工单编号,创建时间,责任部门,优先级,首次响应时间\n"
           "T1,2026-09-01 09:00,客服中心,普通,2026-09-01 09:05\n"
           "T2,2026-09-02 09:00,客服中心,普通,2026-09-02 09:30\n")


def kpi(runner, cli, book):
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09"])
    assert r.exit_code == 0, r.output


def test_an_industry_reference_stands_beside_the_target_where_filled(runner, cli, book, tmp_path):
    assert runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", TICKETS)),
                               "--into", "tickets"]).exit_code == 0
    report = tmp_path / "before.xlsx"
    kpi(runner, cli, book)
    assert runner.invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(report)]).exit_code == 0
    assert not any("行业参考" in str(c) for row in openpyxl.load_workbook(report).active.iter_rows(values_only=True)
                   for c in row)  # not filled: no column
    with FileBook(book) as b:
        std = b.read(schema.STANDARDS).data
        std.loc[std["key"] == "first_response_sla_pct", "benchmark"] = 88.0
        std.loc[std["key"] == "asa_s", "benchmark"] = 20.0
        b.write(schema.STANDARDS, std)
        b.save(backup=False)
    kpi(runner, cli, book)
    with FileBook(book) as b:
        cards = b.read(schema.KPI_CARDS).data.set_index("name")
        phone = b.read(schema.KPI_PHONE).data.set_index("name")
        long = b.read(schema.KPI).data
    assert cards.loc["首次响应SLA达成率%", "benchmark"] == 88.0 and pd.isna(cards.loc["满意度%", "benchmark"])
    assert phone.loc["平均应答速度(秒)", "benchmark"] == 20.0
    overall = long[(long["metric"] == "first_response_sla_pct")]
    assert (overall["benchmark"] == 88.0).all() and long.loc[long["metric"] == "fcr_pct", "benchmark"].isna().all()
    assert runner.invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(report)]).exit_code == 0
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    head = next(r for r in rows if r[0] == "指标")
    assert list(head[:4]) == ["指标", "本期", "目标", "行业参考"]  # beside the target
    fr = next(r for r in rows if r[0] == "首次响应SLA达成率%")
    assert fr[1] == 50.0 and fr[2] == 90 and fr[3] == 88 and fr[4] == "未达标"  # T2 answered after 30 minutes
