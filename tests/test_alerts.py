"""Early warning (DOMAIN.md §7): control limits and rules on hand-made series, and the sample data's shift."""
import json
import math
import shutil

import pandas as pd
import pytest

from conftest import ROOT
from pyaddin.core import alerts as al


def base(n, k=None):
    return pd.Series([i < (k or n) for i in range(n)])


def test_p_chart_limits_widen_and_narrow_with_each_weeks_count():
    s, n = pd.Series([80, 40, 160, 10]), pd.Series([100, 50, 200, 50])
    c = al.p_chart(s, n, base(4, 3))
    pbar = 280 / 350  # pooled over the baseline weeks
    assert c["centre"].iloc[0] == pytest.approx(80.0)
    for i, size in enumerate((100, 50, 200, 50)):
        sigma = math.sqrt(pbar * (1 - pbar) / size)
        assert c["ucl"].iloc[i] == pytest.approx(min(100, 100 * (pbar + 3 * sigma)))
        assert c["lcl"].iloc[i] == pytest.approx(100 * (pbar - 3 * sigma))
    assert al.signals(c) == [(3, "1")]  # 20 % in the last week


def test_xmr_limits_from_the_mean_moving_range():
    v = pd.Series([10.0, 12.0, 11.0, 13.0, 30.0])
    c = al.xmr(v, base(5, 4))
    mr = (2 + 1 + 2) / 3
    assert c["centre"].iloc[0] == pytest.approx(11.5)
    assert c["ucl"].iloc[0] == pytest.approx(11.5 + 3 * mr / 1.128)
    assert c["lcl"].iloc[0] == pytest.approx(max(0.0, 11.5 - 3 * mr / 1.128))
    assert al.signals(c) == [(4, "1")]


def test_a_series_with_zero_variance():
    c = al.xmr(pd.Series([5.0, 5.0, 5.0, 5.0, 5.0, 6.0]), base(6, 5))
    assert c["sigma"].iloc[0] == 0 and al.signals(c) == [(5, "1")]  # only the point that moved
    p = al.p_chart(pd.Series([50, 50, 50]), pd.Series([50, 50, 50]), base(3))
    assert p["ucl"].iloc[0] == 100 and al.signals(p) == []


def chart(values, centre=0.0, sigma=1.0):
    n = len(values)
    return pd.DataFrame({"value": values, "centre": [centre] * n, "sigma": [sigma] * n,
                         "lcl": [centre - 3 * sigma] * n, "ucl": [centre + 3 * sigma] * n})


def test_western_electric_rules_each_on_its_own_series():
    assert al.signals(chart([0, 2.5, 0.2, 2.6]), ("2of3",)) == [(3, "2of3")]
    assert al.signals(chart([1.5, 1.2, 0.5, 1.1, 1.3]), ("4of5",)) == [(4, "4of5")]
    assert al.signals(chart([0.1] * 7 + [0.2]), ("8run",)) == [(7, "8run")]
    assert al.signals(chart([0.1] * 7 + [-0.2]), ("8run",)) == []
    assert al.signals(chart([0, 3.5, 0]), ("1",)) == [(1, "1")]
    assert al.signals(chart([0, 2.5, 0.2, 2.6]), ("1",)) == []  # rule 1 alone raises nothing here


def test_breaches_are_open_tickets_past_their_target():
    t = pd.DataFrame({"ticket_id": ["a", "b", "c"], "department": ["X", "X", "Y"],
                      "created_at": pd.to_datetime(["2026-09-30 08:00", "2026-09-30 09:50", "2026-09-28 08:00"]),
                      "first_response_at": pd.to_datetime([None, None, "2026-09-28 08:05"]),
                      "resolved_at": pd.to_datetime([None, None, None])})
    out = al.breaches(t, pd.Series([10.0, 10.0, 10.0]), pd.Series([48.0, 48.0, 48.0]), pd.Timestamp("2026-09-30 10:00"))
    got = sorted(zip(out["ticket_id"], out["kind"], out["late_min"]))
    assert got == [("a", "first_response", 110.0), ("c", "resolution", 120.0)]  # 50 h open, 48 h allowed


def test_partial_weeks_the_window_and_the_baseline():
    from pyaddin.core import incidents as inc

    weeks = pd.date_range("2026-06-29", periods=30, freq="7D")  # Mondays
    partial = inc.partial_weeks(weeks, pd.Timestamp("2026-07-01 08:00"), pd.Timestamp("2027-01-20 17:00"))
    # the first week starts before the data (1 July is a Wednesday), the last ends after it: drawn, not tested
    assert partial.iloc[0] and partial.iloc[-1] and not partial.iloc[1:-1].any()
    assert inc.partial_weeks(weeks[:2], pd.Timestamp("2026-06-29"), pd.Timestamp("2026-07-12 23:00")).tolist() == \
        [False, False]  # whole weeks, Monday to Sunday
    assert list(inc.window(weeks, 26)) == list(weeks[-26:])
    base = inc.baseline(partial, 8)
    assert base.sum() == 8 and not base.iloc[0] and base.iloc[1:9].all()


def signal(indicator, week, value, centre, up=True):
    from pyaddin.core import incidents as inc

    return {"indicator": indicator, "week": week, "value": value, "centre": centre, "scope": "overall",
            "direction": inc.direction(value, centre, up)}


def test_direction_and_incidents_on_a_hand_made_series():
    from pyaddin.core import incidents as inc

    assert inc.higher_is_better("first_response_sla_pct", {}) and not inc.higher_is_better("complaint_rate_pct", {})
    assert not inc.higher_is_better("median_first_response_min", {})
    assert not inc.higher_is_better("csat_pct", {"csat_pct": ("le", 5.0, 5.0)})  # 监控标准 decides
    found = [signal("first_response_sla_pct", "2026-08-17", 95.0, 80.0),  # above the UCL of a rate: better
             signal("first_response_sla_pct", "2026-08-24", 96.0, 80.0),  # the next week: the same incident
             signal("first_response_sla_pct", "2026-08-31", 50.0, 80.0),  # a change of direction: a new one
             signal("first_response_sla_pct", "2026-09-07", 52.0, 80.0),
             signal("first_response_sla_pct", "2026-09-21", 45.0, 80.0),  # a week without a signal between: new
             signal("median_first_response_min", "2026-09-21", 12.0, 5.0, up=False)]  # a time going up: worse
    inc.number_incidents(found)
    assert [s["direction"] for s in found] == ["better", "better", "worse", "worse", "worse", "worse"]
    assert [s["incident"] for s in found] == [1, 1, 2, 2, 3, 4]
    rows = inc.incidents(found)
    assert [(r["incident"], r["first_week"], r["weeks"]) for r in rows] == [
        (1, "2026-08-17", 2), (2, "2026-08-31", 2), (3, "2026-09-21", 1), (4, "2026-09-21", 1)]
    assert rows[1]["worst"]["value"] == 50.0  # the week furthest from the centre


def test_lateness_in_hours_or_days():
    from pyaddin.core.incidents import lateness

    assert lateness(90) == (1.5, "h") and lateness(47 * 60) == (47.0, "h")
    assert lateness(128494.55) == (89.2, "d")


def test_the_sample_datas_shift_is_found_and_the_stable_indicator_raises_nothing(tmp_path, runner, cli):
    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / name), "--into", into]).exit_code == 0
    r = runner.invoke(cli, ["alerts", str(book), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(d) == {"as_of", "breaches", "signals", "worsened", "partial_weeks"}
    shift = [s for s in d["signals"] if s["week"] == "2026-09-21" and s["indicator"] == "first_response_sla_pct"]
    assert shift and shift[0]["chart"] == "p" and shift[0]["value"] < shift[0]["lcl"] and shift[0]["rule"] == "1"
    assert shift[0]["direction"] == "worse" and isinstance(shift[0]["incident"], int)
    # the logistics desk staffed in August lifted the SLA above its upper limit: an improvement, not an alert
    assert any(s["direction"] == "better" and s["value"] > s["ucl"] for s in d["signals"])
    # the data runs from Wednesday 1 July to Wednesday 30 September: both end weeks are partial and never signal
    assert d["partial_weeks"] == ["2026-06-29", "2026-09-28"]
    assert not [s for s in d["signals"] if s["week"] in d["partial_weeks"]]
    assert any(s["week"] == "2026-09-21" and s["indicator"] == "median_first_response_min" and s["chart"] == "xmr"
               for s in d["signals"])
    assert not [s for s in d["signals"] if s["indicator"] == "fcr_pct"]  # stable: nothing raised
    assert d["breaches"] and set(d["breaches"][0]) == {"ticket_id", "department", "kind", "late_min"}
    assert all(b["late_min"] > 0 for b in d["breaches"])
    assert all(w["from"] in ("达标", "预警") and w["to"] in ("预警", "未达标") for w in d["worsened"])
    r = runner.invoke(cli, ["alerts", str(book), "--rules", "1,9of9"])
    assert r.exit_code == 2


def test_an_alert_becomes_a_problem_with_one_action(tmp_path, runner, cli):
    from pyaddin.book import FileBook
    from pyaddin.schema import PROBLEMS

    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["problems", str(book), "--from-alerts"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        p = b.read(PROBLEMS).data
    assert (p["source"] == "alert").all() and "首次响应SLA达成率%" in set(p["metric"])
    # one problem per worsening incident: the outage week's SLA and its median time; the improvements open none
    assert list(p["origin"]) == ["首次响应SLA达成率% · 总体 · 恶化 · 2026-09-21",
                                 "首次响应时长中位数(分钟) · 总体 · 恶化 · 2026-09-21"]
    assert p["description"].iloc[0].startswith("首次响应SLA达成率在2026-09-21当周恶化至43.5%")
    assert (p["owner_department"] == "质量监控部").all()  # no owner set on 监控标准: the quality team
    r = runner.invoke(cli, ["problems", str(book), "--from-alerts"])
    assert r.exit_code == 0 and "没有新的预警" in r.output
    with FileBook(book) as b:
        assert len(b.read(PROBLEMS).data) == 2  # opened once however often the alerts run


def test_the_alerts_sheet_holds_the_control_chart_table_signals_and_breaches(tmp_path, runner, cli):
    from pyaddin.book import FileBook
    from pyaddin.schema import BETTER, BREACHES, CONTROL, SIGNALS

    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"]).exit_code == 0
    d = json.loads(runner.invoke(cli, ["alerts", str(book), "--json"]).output)
    with FileBook(book) as b:
        control, signals, late = b.read(CONTROL).data, b.read(SIGNALS).data, b.read(BREACHES).data
        better = b.read(BETTER).data
    assert len(better) == sum(s["direction"] == "better" for s in d["signals"]) > 0
    assert len(control) == 14 and control["fr_sla_ucl"].notna().all() and control["fr_min_centre"].nunique() == 1
    assert list(control["partial"]) == [True] + [False] * 12 + [True]
    worse = [s for s in d["signals"] if s["direction"] == "worse"]
    assert len(signals) == len(worse) and len(late) == len(d["breaches"])
    assert set(signals["chart"]) <= {"比率图", "单值图"} and set(signals["rule"]) == {"超出控制限"}
    assert set(late["kind"]) <= {"首响超时", "解决超时"} and set(late["late_unit"]) <= {"小时", "天"}
    assert (late["late"] < 1000).all()  # hours or days, never 128 494.55 minutes
    wb = __import__("openpyxl").load_workbook(book, keep_vba=True)
    refs = [s.val.numRef.f for c in wb["异常预警"]._charts for s in c.series]
    assert len(refs) == 16 and all(r.endswith(f"${4 + len(control)}") for r in refs)  # four charts, four lines each
    assert control["csat"].isna().all() and control["res_sla_ucl"].notna().all()  # no surveys imported: CSAT empty
    # run again a week earlier: last run's overdue list (cleared first, then written last) gives way to the new one,
    # the small tables beside it, the heading and the charts follow
    again = json.loads(runner.invoke(cli, ["alerts", str(book), "--as-of", "2026-09-23 12:00", "--json"]).output)
    assert 0 < len(again["breaches"]) != len(d["breaches"])
    with FileBook(book) as b:
        late, control = b.read(BREACHES).data, b.read(CONTROL).data
    assert list(late["ticket_id"]) == [x["ticket_id"] for x in again["breaches"]]
    wb = __import__("openpyxl").load_workbook(book, keep_vba=True)
    assert "2026-09-23 12:00" in wb["异常预警"]["A2"].value
    refs = [s.val.numRef.f for c in wb["异常预警"]._charts for s in c.series]
    assert len(refs) == 16 and all(r.endswith(f"${4 + len(control)}") for r in refs)


def test_a_target_on_the_median_is_compared_month_on_month_and_without_one_no_median_is_computed(
        tmp_path, runner, cli, monkeypatch):
    """The months ``worsened`` compares are computed without medians and P90 (the costly part at a million
    tickets) unless one of them has a target on 监控标准; with one, its worsening is said."""
    from pyaddin import schema
    from pyaddin.book import FileBook
    from pyaddin.core import kpi

    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / name), "--into", into]).exit_code == 0
    asked = []
    real = kpi.result
    monkeypatch.setattr(kpi, "result", lambda v, dims=kpi.DIMENSIONS, quantiles=True:
                        asked.append(quantiles) or real(v, dims, quantiles))
    r = runner.invoke(cli, ["alerts", str(book), "--json"])
    assert r.exit_code == 0, r.output
    assert asked == [False, False]
    assert not [w for w in json.loads(r.output)["worsened"] if w["indicator"].startswith("median_")]
    months = [json.loads(runner.invoke(cli, ["kpi", str(book), "--period", m, "--json"]).output)["overall"]
              ["median_first_response_min"] for m in ("2026-08", "2026-09")]
    assert months[1] > months[0] * 1.1  # September's late weeks: the median a tenth above August's
    with FileBook(book) as b:
        std = b.read(schema.STANDARDS).data
        row = {"kind": "target", "key": "median_first_response_min", "direction": "le", "value": months[0]}
        b.write(schema.STANDARDS, pd.concat([std, pd.DataFrame([row])], ignore_index=True))
        b.save(backup=False)
    asked.clear()
    r = runner.invoke(cli, ["alerts", str(book), "--json"])
    assert r.exit_code == 0, r.output
    assert asked == [True, True]
    assert {"indicator": "median_first_response_min", "scope": "overall", "group": "", "from": "达标",
            "to": "未达标"} in json.loads(r.output)["worsened"]
