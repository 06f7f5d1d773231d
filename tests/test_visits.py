"""On-site visits (issue 23): on-time visit rate, median visit duration, first-visit fix rate, computed by hand."""
import json

import pandas as pd
import pytest

from conftest import write_csv
from pyaddin.core import visits

TICKETS = """工单编号,创建时间,渠道,责任部门,处理人,预约时间,到达时间,离开时间,一次上门解决
V1,2026-09-02 09:00,上门,安装部,u1,2026-09-03 10:00,2026-09-03 10:10,2026-09-03 11:10,是
V2,2026-09-02 09:00,上门,安装部,u1,2026-09-04 10:00,2026-09-04 10:20,2026-09-04 10:50,否
V3,2026-09-02 09:00,上门,安装部,u2,2026-09-05,2026-09-05 16:00,2026-09-05 17:30,
V4,2026-09-02 09:00,上门,维修部,u2,2026-09-06 14:00,2026-09-06 13:30,,是
V5,2026-09-02 09:00,上门,维修部,u3,,2026-09-07 09:00,2026-09-07 09:45,是
T6,2026-09-02 09:00,电话,客服中心,a1,,,,
"""


def _kpi(runner, cli, book):
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["visits"]


def test_visit_figures_by_hand(runner, cli, book, tmp_path):
    r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", TICKETS)), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    v = _kpi(runner, cli, book)
    # V1 10 min late (within the 15-minute grace), V3 a date-only appointment kept that day, V4 early: on time;
    # V2 20 min late; V5 has no appointment to be on time for
    assert v["overall"] == {"visits": 5, "on_time_visit_pct": 75.0, "median_visit_min": pytest.approx((45 + 60) / 2),
                            "first_visit_fix_pct": 75.0}
    assert v["by_department"]["维修部"]["on_time_visit_pct"] == 100.0 and "客服中心" not in v["by_department"]
    assert v["by_channel"]["onsite"]["visits"] == 5
    assert runner.invoke(cli, ["config", str(book), "visit_grace_min=20"]).exit_code == 0
    assert _kpi(runner, cli, book)["overall"]["on_time_visit_pct"] == 100.0


def test_no_visit_fields_means_no_visit_figures():
    t = pd.DataFrame({"created_at": pd.to_datetime(["2026-09-01"]), "appointment_at": pd.NaT, "arrived_at": pd.NaT,
                      "visit_end_at": pd.NaT, "fixed_first_visit": pd.Series([None], dtype="boolean"),
                      "channel": ["phone"], "department": ["A"], "agent": ["a"]})
    assert visits.result(t)["overall"] == {"visits": 0, "on_time_visit_pct": None, "median_visit_min": None,
                                           "first_visit_fix_pct": None}


def test_the_visits_stand_as_a_card_row_on_the_overview(runner, cli, book, tmp_path):
    """KPI总览 carries the visits' cards below the phone line's (issue 23: on the dashboard): the figures of
    ``kpi --json`` against their targets, titled with the visits counted; 无数据 on a book without visits."""
    import openpyxl

    from pyaddin import schema

    plain = "工单编号,创建时间,渠道,责任部门,处理人\nT7,2026-09-02 09:00,电话,客服中心,a1\n"
    r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "p.csv", plain)), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    assert runner.invoke(cli, ["kpi", str(book), "--period", "2026-09"]).exit_code == 0
    ws = openpyxl.load_workbook(book)[schema.KPI_CARDS.sheet("zh")]
    assert dict(ws.tables.items())["tbl_kpi_visits"] == "A22:H25" and ws["A21"].value.startswith("上门服务:无数据")
    assert [ws[f"G{r}"].value for r in (23, 24, 25)] == ["无数据"] * 3
    r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", TICKETS)), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    v = _kpi(runner, cli, book)["overall"]
    ws = openpyxl.load_workbook(book)[schema.KPI_CARDS.sheet("zh")]
    assert ws["A21"].value.startswith("上门服务:本期上门5次") and ws["A22"].value == "指标"
    assert [ws[f"A{r}"].value for r in (23, 24, 25)] == ["上门准时率%", "上门时长中位数(分钟)", "一次上门解决率%"]
    assert [ws[f"B{r}"].value for r in (23, 24, 25)] == pytest.approx(
        [v["on_time_visit_pct"], v["median_visit_min"], v["first_visit_fix_pct"]])
    assert ws["C23"].value == 95 and ws["G23"].value == "未达标" and ws["G25"].value == "未达标"  # 75 < 95−5, 75 < 85−5


def test_a_workbook_made_before_the_phone_and_visit_cards_still_gets_its_kpis(runner, cli, book, tmp_path):
    """A book made by the previous version has neither card row: the KPIs are written all the same, and the
    message says which cards it lacks and how to get them (never 找不到表 and nothing written)."""
    import openpyxl

    from pyaddin import schema

    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb[schema.KPI_CARDS.sheet("zh")]
    for name in ("tbl_kpi_phone", "tbl_kpi_visits"):
        del ws.tables[name]
    wb.save(book)
    r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", TICKETS)), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09"])
    assert r.exit_code == 0, r.output
    assert "没有电话线路、上门服务卡片" in r.output and "新版 qualitybook.xlsm" in r.output
    ws = openpyxl.load_workbook(book)[schema.KPI_CARDS.sheet("zh")]
    assert all(ws[f"G{r}"].value for r in range(5, 13)) and ws["A13"].value.startswith("重大投诉")  # cards, line under
