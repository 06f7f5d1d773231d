"""A region breakdown where tickets carry one (issue 23; the seeds' 某区域服务响应时间持续较长), by hand."""
import json

import openpyxl

from conftest import write_csv
from pyaddin import schema
from pyaddin.book import FileBook

TICKETS = ("工单编号,创建时间,责任部门,区域,优先级,首次响应时间\n"
           "T1,2026-09-01 09:00,客服中心,华东,普通,2026-09-01 09:05\n"
           "T2,2026-09-02 09:00,客服中心,华东,普通,2026-09-02 09:30\n"
           "T3,2026-09-03 09:00,售后服务部,华南,普通,2026-09-03 09:05\n"
           "T4,2026-09-04 09:00,售后服务部,,普通,2026-09-04 09:05\n")
SURVEYS = "问卷编号,工单编号,提交时间,满意度评分\nS1,T1,2026-09-02 10:00,5\nS2,T3,2026-09-04 10:00,2\n"


def test_each_region_has_the_departments_metrics_with_surveys_taking_their_tickets_region(runner, cli, book,
                                                                                           tmp_path):
    for into, text in (("tickets", TICKETS), ("surveys", SURVEYS)):
        r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / f"{into}.csv", text)), "--into", into])
        assert r.exit_code == 0, r.output
    out = json.loads(runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"]).stdout)
    east, south = out["by_region"]["华东"], out["by_region"]["华南"]
    assert set(out["by_region"]) == {"华东", "华南"}  # T4 has none: in no region
    assert (east["tickets"], east["first_response_sla_pct"], east["csat_pct"]) == (2, 50.0, 100.0)
    assert (south["tickets"], south["first_response_sla_pct"], south["csat_pct"]) == (1, 100.0, 0.0)
    assert out["by_department"]["客服中心"]["tickets"] == 2  # the departments stay as they were
    with FileBook(book) as b:
        long = b.read(schema.KPI).data
    rows = long[(long["scope"] == "区域") & (long["metric"] == "first_response_sla_pct")].set_index("group")
    assert rows.loc["华东", "value"] == 50.0 and rows.loc["华东", "status"] == "未达标"
    report = tmp_path / "r.xlsx"
    assert runner.invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(report)]).exit_code == 0
    cells = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(cells) if row[0] == "按区域")
    assert cells[at + 1][0] == "区域" and cells[at + 2][:3] == ("华东", 2, 1)


def test_without_regions_there_is_no_region_breakdown(runner, cli, book, tmp_path):
    text = TICKETS.replace(",区域", "").replace(",华东", "").replace(",华南", "").replace("部,,", "部,")
    assert runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", text)), "--into",
                               "tickets"]).exit_code == 0
    out = json.loads(runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"]).stdout)
    assert "by_region" not in out and out["overall"]["tickets"] == 4
