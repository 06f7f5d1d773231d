"""The phone line 通话记录 (issue 23): a call-centre export imports without mapping and gives hand-computed figures.

The first fixture is built in the shape of a common ACD report (the columns of the widely used call-centre
dataset "Call Id, Agent, Date, Time, Topic, Answered (Y/N), Resolved, Speed of answer in seconds,
AvgTalkDuration, Satisfaction rating": the date and the time in two columns, the talk time as hh:mm:ss, an
unanswered call with its speed, talk time and rating blank); the second in the shape of a Chinese ACD export.
"""
import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from conftest import write_csv
from pyaddin.book import FileBook
from pyaddin.core import calls as phone
from pyaddin.core.kpi import period
from pyaddin.schema import CALLS

ACD = ("Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,"
       "Satisfaction rating\n"
       "ID0001,Diane,2026-09-07,9:12:58,Contract related,Y,Y,20,00:02:23,3\n"
       "ID0002,Becky,2026-09-07,9:30:10,Technical Support,Y,N,45,00:04:02,5\n"
       "ID0003,Stewart,2026-09-07,10:05:00,Payment related,N,N,,,\n"
       "ID0004,Diane,2026-09-08,14:00:00,Contract related,Y,Y,30,00:03:00,4\n"
       "ID0005,Becky,2026-09-08,14:20:00,Streaming,N,N,,,\n"
       "ID0006,Diane,2026-09-08,15:00:00,Technical Support,Y,Y,10,00:01:05,\n")
CN_ACD = ("通话流水号,来电时间,技能组,坐席工号,排队时长,通话时长,是否接通,是否转接\n"
          "C1,2026-09-07 08:59:00,售后热线,1001,5,120,是,否\n"
          "C2,2026-09-07 09:01:00,售后热线,,3,0,否,\n"  # hung up after 3 s: a short abandon at 5 s
          "C3,2026-09-07 09:02:00,售后热线,,12,0,否,\n"
          "C4,2026-09-07 09:03:00,投诉热线,1002,40,00:05:00,是,是\n"
          "C5,2026-09-07 09:04:00,投诉热线,1002,25,60,,否\n")  # blank 是否接通 with talk time: answered
TICKET = "工单编号,创建时间,责任部门\nT1,2026-09-07 09:00,客服中心\n"
SEPT = period("2026-09-01", "2026-09-30")


def _import(runner, cli, book, path, *extra):
    r = runner.invoke(cli, ["import", str(book), str(path), "--into", "calls", *extra])
    assert r.exit_code == 0, r.output
    return r


def test_a_call_centre_report_imports_without_mapping(runner, cli, book, tmp_path):
    _import(runner, cli, book, write_csv(tmp_path / "acd.csv", ACD))
    with FileBook(book) as b:
        d = b.read(CALLS).data.set_index("call_id")
    assert d.loc["ID0001", "started_at"] == pd.Timestamp("2026-09-07 09:12:58")  # Date + Time
    assert d.loc["ID0002", "talk_s"] == 242 and d.loc["ID0002", "wait_s"] == 45  # 00:04:02, speed of answer
    assert d.loc["ID0003", "answered"] == False and pd.isna(d.loc["ID0003", "wait_s"])  # noqa: E712
    assert d.loc["ID0001", "category"] == "Contract related" and d.loc["ID0004", "agent"] == "Diane"
    assert d.loc["ID0001", "resolved"] == True and d.loc["ID0002", "csat"] == 5  # noqa: E712
    assert "Date" not in d.columns and "Time" not in d.columns  # both went into started_at


def test_the_report_gives_the_hand_computed_phone_line(runner, cli, book, tmp_path):
    _import(runner, cli, book, write_csv(tmp_path / "acd.csv", ACD))
    assert runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", TICKET)),
                               "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    c = out["calls"]["overall"]
    assert c["calls_offered"] == 6
    assert c["answer_rate_pct"] == pytest.approx(400 / 6) and c["abandon_rate_pct"] == pytest.approx(200 / 6)
    assert c["service_level_pct"] == pytest.approx(50.0)  # 20, 30 and 10 s within 30 s; 45 s not
    assert c["asa_s"] == pytest.approx((20 + 45 + 30 + 10) / 4)
    assert c["aht_s"] == pytest.approx((143 + 242 + 180 + 65) / 4)
    assert c["transfer_rate_pct"] is None  # the report has no transfer column: empty, not 0 %
    diane, becky, stewart = (out["calls"]["by_agent"][a] for a in ("Diane", "Becky", "Stewart"))
    assert (diane["calls_offered"], diane["answer_rate_pct"], diane["service_level_pct"]) == (3, 100.0, 100.0)
    assert diane["aht_s"] == pytest.approx((143 + 180 + 65) / 3)
    assert (becky["answer_rate_pct"], becky["service_level_pct"], becky["asa_s"]) == (50.0, 0.0, 45.0)
    assert stewart["answer_rate_pct"] == 0.0 and stewart["asa_s"] is None
    grid = out["calls"]["by_hour_weekday"]
    assert grid["mon 09"]["calls_offered"] == 2 and grid["mon 10"]["answer_rate_pct"] == 0.0
    assert grid["tue 14"]["answer_rate_pct"] == 50.0 and set(grid) == {"mon 09", "mon 10", "tue 14", "tue 15"}
    assert out["overall"]["csat_pct"] == pytest.approx(200 / 3)  # ratings 3, 5, 4 given on calls count as CSAT


def test_a_chinese_acd_export_with_short_abandons_and_transfers(runner, cli, book, tmp_path):
    assert runner.invoke(cli, ["config", str(book), "short_abandon_s=5"]).exit_code == 0
    _import(runner, cli, book, write_csv(tmp_path / "cn.csv", CN_ACD))
    with FileBook(book) as b:
        calls = b.read(CALLS).data
    assert calls.set_index("call_id").loc["C4", "talk_s"] == 300 and calls.set_index("call_id").loc["C5", "answered"]
    r = phone.result(calls, SEPT, short_abandon_s=5, service_level_s=30)
    c = r["overall"]
    assert c["calls_offered"] == 4  # C2 left after 3 s: not offered
    assert (c["answer_rate_pct"], c["abandon_rate_pct"], c["service_level_pct"]) == (75.0, 25.0, 50.0)
    assert c["asa_s"] == pytest.approx((5 + 40 + 25) / 3) and c["aht_s"] == pytest.approx((120 + 300 + 60) / 3)
    assert c["transfer_rate_pct"] == pytest.approx(100 / 3)
    assert r["by_queue"]["售后热线"]["answer_rate_pct"] == 50.0 and r["by_queue"]["投诉热线"]["transfer_rate_pct"] == 50.0
    assert r["by_department"].keys() == r["by_queue"].keys()  # no department column: the queue stands in
    assert phone.result(calls, SEPT)["overall"]["calls_offered"] == 5  # short_abandon_s 0: none excluded


def test_abandoned_is_the_negation_and_a_blank_answer_without_talk_time_is_an_error(runner, cli, book, tmp_path):
    _import(runner, cli, book, write_csv(tmp_path / "a.csv", "Call Id,Call start,Queue,Abandoned,Wait time\n"
                                                              "A1,2026-09-07 10:00,Sales,No,12\n"
                                                              "A2,2026-09-07 10:01,Sales,Yes,50\n"))
    with FileBook(book) as b:
        d = b.read(CALLS).data.set_index("call_id")
    assert d.loc["A1", "answered"] == True and d.loc["A2", "answered"] == False  # noqa: E712
    r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "b.csv", "Call Id,Call start,是否接通,通话时长\n"
                                                                                      "B1,2026-09-07 10:00,,0\n")),
                            "--into", "calls"])
    assert r.exit_code == 1 and "是否接通" in r.output


def test_date_and_time_cells_of_an_excel_export_make_one_start(runner, cli, book, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Call Id", "Date", "Time", "Answered (Y/N)", "AvgTalkDuration"])
    ws.append(["X1", dt.date(2026, 9, 7), dt.time(0, 0, 0), "Y", dt.time(0, 2, 23)])  # midnight is a real time
    ws.append(["X2", dt.date(2026, 9, 7), dt.time(18, 5, 30), "N", None])
    wb.save(tmp_path / "acd.xlsx")
    _import(runner, cli, book, tmp_path / "acd.xlsx")
    with FileBook(book) as b:
        d = b.read(CALLS).data.set_index("call_id")
    assert d.loc["X1", "started_at"] == pd.Timestamp("2026-09-07 00:00:00") and d.loc["X1", "talk_s"] == 143
    assert d.loc["X2", "started_at"] == pd.Timestamp("2026-09-07 18:05:30")


def test_calls_metrics_are_empty_when_their_columns_were_never_supplied():
    calls = pd.DataFrame({k: pd.Series([None] * 2, dtype=object) for k in CALLS.keys})
    calls["call_id"] = ["a", "b"]
    calls["started_at"] = pd.to_datetime(["2026-09-07 10:00", "2026-09-07 11:00"])
    r = phone.result(calls, SEPT)["overall"]
    assert r["calls_offered"] == 2
    assert all(r[m] is None for m in phone.METRICS if m != "calls_offered")


def test_the_phone_line_stands_as_a_card_row_on_the_overview(runner, cli, book, tmp_path):
    """Answer rate, service level, abandon rate, ASA and AHT of the hand-computed case on KPI总览, each against its
    target with the previous month beside it (one August call, answered after 50 s in 60 s)."""
    august = "ID0000,Diane,2026-08-20,10:00:00,Streaming,Y,Y,50,00:01:00,\n"
    _import(runner, cli, book, write_csv(tmp_path / "acd.csv", ACD + august))
    assert runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", TICKET)),
                               "--into", "tickets"]).exit_code == 0
    assert runner.invoke(cli, ["kpi", str(book), "--period", "2026-09"]).exit_code == 0
    from pyaddin import schema

    with FileBook(book) as b:
        cards = b.read(schema.KPI_PHONE).data.set_index("name")
    assert list(cards.index) == ["接通率%", "服务水平%", "放弃率%", "平均应答速度(秒)", "平均处理时长(秒)"]
    assert cards.loc["接通率%", "value"] == pytest.approx(400 / 6) and cards.loc["接通率%", "status"] == "未达标"
    assert cards.loc["接通率%", "previous"] == 100.0 and cards.loc["接通率%", "target"] == 95
    assert (cards.loc["服务水平%", "value"], cards.loc["服务水平%", "previous"]) == (50.0, 0.0)  # 50 s > 30 s
    assert cards.loc["放弃率%", "value"] == pytest.approx(200 / 6) and cards.loc["放弃率%", "status"] == "未达标"
    asa = cards.loc["平均应答速度(秒)"]
    assert asa["value"] == pytest.approx(26.25) and asa["status"] == "达标" and asa["change"] == pytest.approx(-23.75)
    aht = cards.loc["平均处理时长(秒)"]
    assert aht["value"] == pytest.approx(157.5) and pd.isna(aht["target"]) and pd.isna(aht["status"])  # no target
    ws = openpyxl.load_workbook(book)[schema.KPI_PHONE.sheet("zh")]
    top = schema.KPI_PHONE.place[1]
    assert ws[f"A{top - 1}"].value == "电话线路:本期来电6通(服务水平:30秒内接通)"
    colours = {str(cf.sqref): {r.formula[0].split(",")[1][-3:-1]: r.dxf.font.color.rgb[-6:] for r in cf.rules}
               for cf in ws.conditional_formatting if str(cf.sqref) in (f"F{top + 1}", f"F{top + 4}", f"F{top + 5}")}
    assert colours[f"F{top + 1}"] == {">0": "00B050", "<0": "C00000"}  # answer rate: higher is better
    assert colours[f"F{top + 4}"] == colours[f"F{top + 5}"] == {">0": "C00000", "<0": "00B050"}  # ASA, AHT: lower


def test_the_alerts_chart_the_phone_line_week_by_week(runner, cli, book, tmp_path):
    """Ten full weeks of 100 calls each: 95 answered within 18–20 s, until the tenth week, when only 60 are
    answered, after 90 s.  The p-charts of answer rate, service level and abandon rate and the XmR chart of ASA
    (limits from the first eight weeks) each signal that week as worse, and no other week."""
    lines = ["Call Id,Call start,Answered (Y/N),Speed of answer in seconds,Talk time"]
    for w in range(10):
        monday = dt.date(2026, 7, 6) + dt.timedelta(weeks=w)
        outage = w == 9
        for i in range(100):
            start = dt.datetime.combine(monday + dt.timedelta(days=i % 7), dt.time(9 + i % 8, i % 60))
            answered = i < (60 if outage else 95)
            wait = (90 if outage else 18 + w % 3) if answered else 40
            lines.append(f"W{w}C{i},{start:%Y-%m-%d %H:%M},{'Y' if answered else 'N'},{wait},{120 if answered else 0}")
    _import(runner, cli, book, write_csv(tmp_path / "weeks.csv", "\n".join(lines) + "\n"))
    ticket = "工单编号,创建时间,责任部门\nT1,2026-09-08 09:00,客服中心\n"
    assert runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", ticket)),
                               "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["alerts", str(book), "--json"])
    assert r.exit_code == 0, r.output
    calls = {s["indicator"]: s for s in json.loads(r.output)["signals"]
             if s["indicator"] in ("answer_rate_pct", "service_level_pct", "abandon_rate_pct", "asa_s")}
    assert set(calls) == {"answer_rate_pct", "service_level_pct", "abandon_rate_pct", "asa_s"}
    assert {s["week"] for s in calls.values()} == {"2026-09-07"} and {s["direction"] for s in calls.values()} == {"worse"}
    assert {k: s["chart"] for k, s in calls.items()} == {"answer_rate_pct": "p", "service_level_pct": "p",
                                                       "abandon_rate_pct": "p", "asa_s": "xmr"}
    assert calls["answer_rate_pct"]["value"] == 60.0 and calls["answer_rate_pct"]["centre"] == pytest.approx(95.0)
    assert calls["answer_rate_pct"]["lcl"] == pytest.approx(95 - 300 * (0.95 * 0.05 / 100) ** 0.5)
    assert calls["asa_s"]["value"] == 90.0 and calls["asa_s"]["centre"] == pytest.approx(151 / 8)  # 18,19,20,18…


def test_the_report_shows_the_phone_line_against_its_targets(runner, cli, book, tmp_path):
    _import(runner, cli, book, write_csv(tmp_path / "acd.csv", ACD.replace("Topic,", "Queue,")))
    assert runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / "t.csv", TICKET)),
                               "--into", "tickets"]).exit_code == 0
    out = tmp_path / "r.xlsx"
    r = runner.invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] and "电话线路与上门服务" in str(row[0]))
    assert rows[at + 2][0] == "本期来电6通(上期无通话记录)。"
    table = {row[0]: row for row in rows[at + 3:at + 12]}
    assert table["接通率%"][1] == pytest.approx(400 / 6) and table["接通率%"][2] == 95 and table["接通率%"][3] == "未达标"
    assert table["平均应答速度(秒)"][1] == pytest.approx(26.25) and table["平均应答速度(秒)"][3] == "达标"
    assert table["转接率%"][3] == "无数据"  # no transfer column: never 0 %
    queues = next(i for i, row in enumerate(rows) if row[0] == "按队列")
    by_queue = {row[0]: row for row in rows[queues + 2:queues + 6]}
    assert by_queue["Technical Support"][1] == 2 and by_queue["Technical Support"][2] == "样本不足"  # 2 calls
    assert any(row[0] == "本期无上门服务工单(没有预约或到达时间)。" for row in rows)
    csat = next(row for row in rows if row[0] == "满意度%")
    assert csat[1] == pytest.approx(200 / 3)  # ratings 3, 5 and 4 given on calls, as on the dashboard
