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


def test_the_sample_datas_shift_is_found_and_the_stable_indicator_raises_nothing(tmp_path, runner, cli):
    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / name), "--into", into]).exit_code == 0
    r = runner.invoke(cli, ["alerts", str(book), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(d) == {"as_of", "breaches", "signals", "worsened"}
    shift = [s for s in d["signals"] if s["week"] == "2026-09-21" and s["indicator"] == "first_response_sla_pct"]
    assert shift and shift[0]["chart"] == "p" and shift[0]["value"] < shift[0]["lcl"] and shift[0]["rule"] == "1"
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
    assert p["description"].str.contains("超出控制限").all()
    r = runner.invoke(cli, ["problems", str(book), "--from-alerts"])
    assert r.exit_code == 0 and "没有新的预警" in r.output


def test_the_alerts_sheet_holds_the_control_chart_table_signals_and_breaches(tmp_path, runner, cli):
    from pyaddin.book import FileBook
    from pyaddin.schema import BREACHES, CONTROL, SIGNALS

    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"]).exit_code == 0
    d = json.loads(runner.invoke(cli, ["alerts", str(book), "--json"]).output)
    with FileBook(book) as b:
        control, signals, late = b.read(CONTROL).data, b.read(SIGNALS).data, b.read(BREACHES).data
    assert len(control) == 14 and control["fr_sla_ucl"].notna().all() and control["fr_min_centre"].nunique() == 1
    assert len(signals) == len(d["signals"]) and len(late) == len(d["breaches"])
    wb = __import__("openpyxl").load_workbook(book, keep_vba=True)
    refs = [s.val.numRef.f for c in wb["异常预警"]._charts for s in c.series]
    assert len(refs) == 16 and all(r.endswith(f"${4 + len(control)}") for r in refs)  # four charts, four lines each
    assert control["csat"].isna().all() and control["res_sla_ucl"].notna().all()  # no surveys imported: CSAT empty
