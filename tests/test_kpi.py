"""Every KPI of DOMAIN.md §4 on small tables computed by hand, through the real import and kpi commands."""
import json

import pytest

from conftest import ROOT, parts, write_csv
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.schema import STANDARDS

TICKETS_ZH = """工单编号,创建时间,渠道,责任部门,处理人,优先级,问题类别,首次响应时间,解决时间,联系次数,是否重开,是否投诉,处理记录
T1,2026-09-01 08:00,电话,A部,a1,普通,X,2026-09-01 08:05,2026-09-01 10:00,1,否,否,已处理
T2,2026-09-02 09:00,在线,A部,a1,紧急,Y,2026-09-02 09:08,2026-09-02 15:00,2,是,是,已处理
T3,2026-09-30 23:58,电话,B部,a2,紧急,,,,,,,
T4,2026-09-29 08:00,邮件,B部,a2,低,X,,,,,,
T5,2026-08-15 08:00,电话,B部,a2,普通,X,2026-08-15 08:01,,,,,
T6,2026-09-10 10:00,电话,A部,a1,普通,X,2026-09-10 10:10,2026-09-13 10:00,1,否,否,
T7,2026-10-01 00:00,电话,A部,a1,普通,X,,,,,,
T8,2026-09-15 09:00,电话,A部,a1,高,Y,2026-09-15 09:10,2026-09-16 09:00,2,否,否,退款<50元 & 回访
T9,2026-09-20 14:00,邮件,A部,a1,低,Z,2026-09-20 14:20,2026-09-23 14:00,1,是,否,已处理
"""
SURVEYS_ZH = """问卷编号,提交时间,渠道,责任部门,处理人,满意度评分,推荐意愿
S1,2026-09-05 10:00,电话,A部,a1,5,10
S2,2026-09-06 10:00,在线,A部,a1,3,
S3,2026-09-07 10:00,电话,B部,a2,,6
S4,2026-08-30 10:00,电话,A部,a1,1,0
"""
INSPECTIONS_ZH = """质检编号,质检时间,方式,责任部门,处理人,检查项,得分,满分,关键项
I1,2026-09-03 10:00,工单抽查,A部,a1,礼貌,8,10,否
I1,2026-09-03 10:00,工单抽查,A部,a1,信息安全,20,20,是
I2,2026-09-04 10:00,录音抽检,B部,a2,礼貌,10,10,否
I2,2026-09-04 10:00,录音抽检,B部,a2,信息安全,15,20,是
I3,2026-09-05 10:00,明察,A部,a1,礼貌,7,10,否
I4,2026-08-05 10:00,明察,A部,a1,礼貌,1,10,否
"""
EN_HEADERS = {  # the same data as an English export with text dates in other forms
    "工单编号,创建时间,渠道,责任部门,处理人,优先级,问题类别,首次响应时间,解决时间,联系次数,是否重开,是否投诉,处理记录":
        "Ticket ID,Created at,Channel,Department,Agent,Priority,Category,First response at,Resolved at,Contacts,Reopened,Complaint,Resolution note",
    "问卷编号,提交时间,渠道,责任部门,处理人,满意度评分,推荐意愿": "Survey ID,Submitted at,Channel,Department,Agent,CSAT,NPS",
    "质检编号,质检时间,方式,责任部门,处理人,检查项,得分,满分,关键项": "Inspection ID,Inspected at,Method,Department,Agent,Item,Score,Max score,Critical",
}

# By hand, for September (as_of 2026-10-01 00:00; T5 is August's, T7 October's). T8 and T9 separate each
# condition of the definitions: T8 was contacted twice and not reopened (not a first-contact resolution, even
# with "contacts <= 2"), T9 was reopened after one contact; T6 and T8 answer exactly at their target (10 min),
# T8 and T9 are resolved exactly at theirs (24 h high, 72 h low): at the target is met, not breached.
# first response: met T1 5, T6 10, T8 10, T9 20 (low: 30); breached T2 8 > 5 (urgent), T4 none after 2 400 min
#   > 30; T3 none, 2 min old < 5: neither → 4 / 6. Times with a response: 5, 8, 10, 10, 20 → median 10,
#   p90 = 10 + 0.6 × (20 − 10) = 16.
# resolution: met T1 2 h, T8 24 h, T9 72 h; breached T2 6 h > 4, T6 72 h > 48; T3 and T4 (40 h < 72) open
#   inside their target: neither → 3 / 5. Resolved times 2, 6, 24, 72, 72 → median 24.
# resolved T1 T2 T6 T8 T9: first-contact T1 and T6 → 2 / 5; reopened T2 and T9 → 2 / 5.
# complaints T2 → 1 / 7; complete T1 T2 T4 T8 T9 (T3 has no category, T6 no note though resolved) → 5 / 7.
# backlog at as_of over the whole table: T3, T4 and August's T5 (T7 is created at as_of, not before) → 3.
OVERALL = {
    "tickets": 7, "first_response_sla_pct": 400 / 6, "resolution_sla_pct": 60.0, "median_first_response_min": 10.0,
    "p90_first_response_min": 16.0, "median_resolution_h": 24.0, "fcr_pct": 40.0, "reopen_rate_pct": 40.0,
    "complaint_rate_pct": 100 / 7, "record_completeness_pct": 500 / 7, "backlog": 3, "csat_pct": 50.0, "nps": 0.0,
    "qa_score_pct": (28 / 30 * 100 + 0 + 70) / 3, "qa_fail_rate_pct": 200 / 3,
    "complaint_first_response_sla_pct": 100.0,  # T2, the one complaint, answered in 8 min: within 120 min
}


def english(text: str) -> str:
    head, rest = text.split("\n", 1)
    rest = (rest.replace("2026-09-", "2026/9/").replace("2026-08-", "2026/8/").replace("2026-10-", "2026/10/")
            .replace(",否", ",N").replace(",是", ",Y").replace("电话", "Phone").replace("在线", "Chat")
            .replace("邮件", "Email").replace("普通", "Normal").replace("紧急", "Urgent").replace("低", "Low").replace(",高,", ",High,")
            .replace("工单抽查", "Ticket audit").replace("录音抽检", "Call review").replace("明察", "On-site check"))
    return EN_HEADERS[head] + "\n" + rest


def load(runner, cli, book, tmp_path, lang="zh"):
    for name, text in (("tickets", TICKETS_ZH), ("surveys", SURVEYS_ZH), ("inspections", INSPECTIONS_ZH)):
        src = write_csv(tmp_path / f"{name}_{lang}.csv", text if lang == "zh" else english(text))
        r = runner.invoke(cli, ["import", str(book), str(src), "--into", name])
        assert r.exit_code == 0, r.output


def kpi_json(runner, cli, book, *extra):
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09", "--json", *extra])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def approx(d):
    return {k: (pytest.approx(v) if isinstance(v, float) else v) for k, v in d.items()}


def test_overall_metrics_match_the_hand_computation(book, runner, cli, tmp_path):
    load(runner, cli, book, tmp_path)
    r = kpi_json(runner, cli, book)
    assert r["period"] == {"start": "2026-09-01", "end": "2026-09-30", "as_of": "2026-10-01T00:00:00"}
    assert r["overall"] == approx(OVERALL)
    assert set(r) == {"period", "overall", "by_channel", "by_department", "by_agent", "calls", "sla_clock",
                      "visits", "surveys", "major_complaints"}


def test_breakdowns_and_empty_groups(book, runner, cli, tmp_path):
    load(runner, cli, book, tmp_path)
    r = kpi_json(runner, cli, book)
    assert set(r["by_channel"]) == {"phone", "chat", "email"}
    phone = r["by_channel"]["phone"]
    assert phone["tickets"] == 4 and phone["first_response_sla_pct"] == 100.0  # T3 is still inside its target
    # resolved T1, T6, T8: first contact T1 and T6 (T8 took two); in time T1 and T8 (24 h at its target), not T6
    assert phone["fcr_pct"] == pytest.approx(200 / 3) and phone["resolution_sla_pct"] == pytest.approx(200 / 3)
    email = r["by_channel"]["email"]  # T4 unanswered past its target, T9 answered in time, reopened
    assert email["first_response_sla_pct"] == 50.0 and email["fcr_pct"] == 0.0 and email["reopen_rate_pct"] == 100.0
    assert phone["csat_pct"] == 100.0 and phone["nps"] == 0.0 and phone["qa_score_pct"] is None
    b = r["by_department"]["B部"]
    assert b["tickets"] == 2 and b["first_response_sla_pct"] == 0.0 and b["backlog"] == 3
    assert b["resolution_sla_pct"] is None and b["fcr_pct"] is None and b["median_resolution_h"] is None
    assert b["qa_score_pct"] == 0.0 and b["qa_fail_rate_pct"] == 100.0  # failed critical item zeroes I2
    assert b["csat_pct"] is None and b["nps"] == -100.0
    assert r["by_agent"]["a1"] == approx(r["by_department"]["A部"])


def test_as_of_moves_the_sla_clock_and_the_backlog(book, runner, cli, tmp_path):
    load(runner, cli, book, tmp_path)
    r = kpi_json(runner, cli, book, "--as-of", "2026-10-01 00:10")
    assert r["overall"]["first_response_sla_pct"] == pytest.approx(400 / 7)  # T3 unanswered for 12 min > 5
    assert r["overall"]["backlog"] == 4  # T7 now created before as_of


def test_the_same_numbers_from_english_headers_and_text_dates(runner, cli, tmp_path):
    import shutil

    book = tmp_path / "en.xlsm"
    shutil.copy(ROOT / "templates" / "qualitybook_en.xlsm", book)
    load(runner, cli, book, tmp_path, "en")
    r = kpi_json(runner, cli, book)
    assert r["overall"] == approx(OVERALL)


def test_an_edited_standard_changes_the_result(book, runner, cli, tmp_path):
    load(runner, cli, book, tmp_path)
    with FileBook(book) as b:
        std = b.read(STANDARDS).data
        std.loc[(std["kind"] == "sla_first_response") & (std["key"] == "urgent"), "value"] = 10
        b.write(STANDARDS, std)
        b.save(backup=False)
    r = kpi_json(runner, cli, book)
    assert r["overall"]["first_response_sla_pct"] == pytest.approx(500 / 6)  # T2's 8 minutes now meet the target


def test_dashboard_sheet_shows_value_target_status_and_nothing_else_changes(book, runner, cli, tmp_path):
    load(runner, cli, book, tmp_path)
    before = parts(book)
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-09"])
    assert r.exit_code == 0 and "已计算2026-09-01至2026-09-30的KPI" in r.output
    with FileBook(book) as b:
        d = b.read(__import__("pyaddin.schema", fromlist=["KPI"]).KPI).data
        loc = b.locs["tbl_kpi"]
    fr = d[(d["scope"] == "总体") & (d["metric"] == "first_response_sla_pct")].iloc[0]
    assert fr["value"] == pytest.approx(400 / 6) and fr["target"] == 90 and fr["status"] == "未达标"
    comp = d[(d["scope"] == "总体") & (d["metric"] == "complaint_rate_pct")].iloc[0]
    assert comp["target"] == 5 and comp["status"] == "未达标"
    after = parts(book)
    changed = {n for n in before if before[n] != after[n]}
    log_loc = None
    with FileBook(book) as b:
        log_loc = b.locs["tbl_log"]
    allowed = {loc.sheet_part, log_loc.sheet_part, log_loc.table_part, "xl/charts/chart1.xml", "xl/charts/chart2.xml"}
    overview = FileBook(book).locs["tbl_kpi_cards"].sheet_part  # the cards and matrices' own sheet
    allowed |= {b2.table_part for b2 in FileBook(book).locs.values() if b2.sheet_part in (loc.sheet_part, overview)}
    assert changed <= allowed | {overview} and loc.sheet_part in changed and overview in changed
    from openpyxl.utils import get_column_letter

    _, top, left = schema.KPI_TREND.place
    week = get_column_letter(left + 1)
    assert f"${week}${top + 1}:${week}${top + 5}".encode() in after["xl/charts/chart1.xml"]  # five weeks of September


def test_heat_map_shows_the_night_shift(tmp_path, runner, cli):
    import shutil

    book = tmp_path / "demo.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / name), "--into", into]).exit_code == 0
    assert runner.invoke(cli, ["kpi", str(book), "--quarter", "2026Q3"]).exit_code == 0
    from pyaddin.schema import KPI_HEATMAP

    with FileBook(book) as b:
        h = b.read(KPI_HEATMAP).data.set_index("hour")
    sla = h[[c for c in h.columns if c.startswith("sla_")]]
    vol = h[[c for c in h.columns if c.startswith("volume_")]]
    night = sla.loc[[0, 1, 2, 3, 4, 5, 23]].stack().mean()
    day = sla.loc[range(9, 18)].stack().mean()
    assert day > 75 and night < day - 25  # the understaffed night shift shows up, whatever else the quarter held
    assert vol.loc[10].sum() > 5 * vol.loc[3].sum()


def test_bad_data_stops_the_calculation_with_the_cell(book, runner, cli, tmp_path):
    import pandas as pd

    from pyaddin.ooxml import tables as ox

    with FileBook(book) as b:
        loc = b.locs["tbl_tickets"]
        ox.write_rows(b.pkg, loc, [ox.Column(h, pd.Series([v], dtype=object), False) for h, v in zip(
            loc.columns, ["Z1", "31/31/2026", "电话", "A部", "", "", "", "", "", "", "", "", ""])])
        b.pkg.save(backup=False)
    original = book.read_bytes()
    r = runner.invoke(cli, ["kpi", str(book)])
    assert r.exit_code == 1 and "工单数据 列“创建时间”:无法识别的日期时间,共1处:第2行“31/31/2026”" in r.output
    assert book.read_bytes() == original


def test_a_large_book_read_table_after_table_gives_the_same_result(book, runner, cli, tmp_path, monkeypatch):
    from pyaddin import prefetch

    load(runner, cli, book, tmp_path)
    expected = kpi_json(runner, cli, book)
    monkeypatch.setattr(prefetch, "LARGE_BOOK", 0)  # every book counts as large: one lane, read before parsing
    assert kpi_json(runner, cli, book) == expected


def test_kpi_on_a_missing_book_says_so(runner, cli, tmp_path):
    r = runner.invoke(cli, ["kpi", str(tmp_path / "nope.xlsm")])
    assert r.exit_code == 2 and "找不到文件" in r.output


def test_overview_cards_set_this_period_against_target_and_the_previous_month(book, runner, cli, tmp_path):
    """The cards equal the JSON of September and of August (the fixture's T5 and S4); an indicator with no August
    data has a blank previous value and change, never 0; the matrices carry each group's values."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    from pyaddin import schema
    from pyaddin.locale import metric_name

    load(runner, cli, book, tmp_path)
    now, before = kpi_json(runner, cli, book), kpi_json(runner, cli, book, "--period", "2026-08")
    assert runner.invoke(cli, ["kpi", str(book), "--period", "2026-09"]).exit_code == 0
    with FileBook(book) as b:
        cards = b.read(schema.KPI_CARDS).data.set_index("name")
        by_dept = b.read(schema.KPI_BY_DEPARTMENT).data.set_index("group")
        by_channel = b.read(schema.KPI_BY_CHANNEL).data.set_index("group")
    assert list(cards.index) == [metric_name(m, "zh") for m in schema.HEADLINE_KEYS]
    for m in schema.HEADLINE_KEYS:
        card, value, old = cards.loc[metric_name(m, "zh")], now["overall"][m], before["overall"][m]
        assert (pytest.approx(value) == card["value"]) if value is not None else card["value"] != card["value"]
        assert (pytest.approx(old) == card["previous"]) if old is not None else card["previous"] != card["previous"]
        if value is not None and old is not None:
            assert card["change"] == pytest.approx(value - old)
        else:
            assert card["change"] != card["change"]  # NaN: blank in the sheet
    assert any(before["overall"][m] is None and now["overall"][m] is not None for m in schema.HEADLINE_KEYS)
    fr = cards.loc[metric_name("first_response_sla_pct", "zh")]
    assert fr["target"] == 90 and fr["band"] == 5 and fr["status"] == "未达标"
    assert set(by_dept.index) == {"A部", "B部"}
    assert by_dept.loc["A部", "fcr_pct"] == pytest.approx(now["by_department"]["A部"]["fcr_pct"])
    assert by_channel.loc["电话", "first_response_sla_pct"] == pytest.approx(
        now["by_channel"]["phone"]["first_response_sla_pct"])

    ws = openpyxl.load_workbook(book)[schema.KPI_CARDS.sheet("zh")]
    card_row = {ws.cell(row=r, column=1).value: r
                for r in range(schema.KPI_CARDS.top + 1, schema.KPI_CARDS.top + 1 + len(schema.HEADLINE_KEYS))}
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules if r.formula] for cf in ws.conditional_formatting}
    for table in (schema.KPI_BY_CHANNEL, schema.KPI_BY_DEPARTMENT):
        _, top, left = table.place
        for m in schema.HEADLINE_KEYS:
            col = get_column_letter(left + table.keys.index(m) + 1)
            formulas = next(f for rng, f in rules.items() if rng.startswith(f"{col}{top + 1}:"))
            row = card_row[metric_name(m, "zh")]  # coloured against this indicator's own target and band
            sample = schema.SAMPLE_OF.get(m, "tickets")
            if sample in table.keys:  # first: too few behind it, greyed as 样本不足 and not coloured
                n = get_column_letter(left + table.keys.index(sample) + 1)
                assert formulas[0].endswith(f"${n}{top + 1}<{schema.MIN_SAMPLE})")
                formulas = formulas[1:]
            assert len(formulas) == 3 and all(f"$C${row}" in f for f in formulas)
            assert all(f"$D${row}" in f for f in formulas[1:2])
            assert (">=" if m != "complaint_rate_pct" else "<=") in formulas[0]


def test_overview_layout_holds_whatever_the_period(book, runner, cli, tmp_path):
    """Tables below the cards and the channel matrix stay where they are built (nothing pushes them down), after
    a quarter (14 weeks) and then a month; the channel matrix lists every channel, blank where none."""
    import openpyxl

    from pyaddin import schema

    load(runner, cli, book, tmp_path)
    for args in (["--quarter", "2026Q3"], ["--period", "2026-09"]):
        assert runner.invoke(cli, ["kpi", str(book), *args]).exit_code == 0
        ws = openpyxl.load_workbook(book)[schema.KPI_CARDS.sheet("zh")]
        refs = dict(ws.tables.items())
        # page one: the cards, the phone line's and the visits' cards, the channel matrix, the departments below
        assert refs["tbl_kpi_cards"] == "A4:H12" and refs["tbl_kpi_channel"] == f"A27:K{27 + len(schema.CHANNEL.keys())}"
        assert refs["tbl_kpi_department"].startswith("A37:L")  # nothing below it
        assert refs["tbl_kpi_phone"] == "A15:H20" and ws["A16"].value == "接通率%"  # the phone line's cards
        assert refs["tbl_kpi_visits"] == "A22:H25"
        # page two: the heat map, the agents under it; the weekly table its charts draw from, beyond them
        assert refs["tbl_kpi_heatmap"] == "N51:AB75" and refs["tbl_kpi_agents"] == "N78:V88"
        assert refs["tbl_kpi_trend"].startswith("AK51:") and refs["tbl_kpi_monthly"] == "AT51:BC64"
        assert ws["AK51"].value == "周(起始日)" and ws["N51"].value == "时段" and ws["N75"].value == 23
        assert ws["A13"].value.startswith("重大投诉") and ws["A14"].value.startswith("电话线路")
    with FileBook(book) as b:
        channels = b.read(schema.KPI_BY_CHANNEL).data
    assert list(channels["group"]) == schema.CHANNEL.labels("zh")
    assert channels.set_index("group").loc["门店"].drop("group", errors="ignore").isna().all()  # no store tickets
