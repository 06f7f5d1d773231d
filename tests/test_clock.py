"""Working-time SLAs (issue 23): durations across a weekend, a holiday, a 调休 Saturday and before opening time,
and complaints held to the stricter target — computed by hand (working hours Monday–Friday 09:00–18:00, 540 min a
day; 国庆 2026-10-01 (Thu) … 10-07 holidays, Saturday 10-10 a make-up working day)."""
import json

import numpy as np
import pandas as pd
import pytest

from conftest import write_csv
from pyaddin.core import kpi
from pyaddin.core.clock import Calendar, Clock
from pyaddin.settings import Hours

CALENDAR = "日期,类型,说明\n" + "".join(f"2026-10-0{d},节假日,国庆节\n" for d in range(1, 8)) + "2026-10-10,调休上班,国庆调休\n"
# W1 over a weekend, W2 before opening, W3 over the holiday and the 调休 Saturday, W4 and W5 complaints, W6 opened
# on a holiday
TICKETS = """工单编号,创建时间,渠道,责任部门,处理人,优先级,问题类别,首次响应时间,解决时间,是否投诉
W1,2026-09-25 17:55,邮件,A部,a1,普通,X,2026-09-28 09:04,2026-09-28 12:00,否
W2,2026-09-29 07:30,邮件,A部,a1,普通,X,2026-09-29 09:08,2026-09-29 18:00,否
W3,2026-09-30 17:45,邮件,A部,a1,低,X,2026-10-08 09:10,2026-10-10 10:00,否
W4,2026-09-14 09:00,邮件,A部,a1,低,X,2026-09-14 09:20,2026-09-17 10:00,是
W5,2026-09-14 10:00,邮件,A部,a1,紧急,X,2026-09-14 10:30,2026-09-14 13:00,是
W6,2026-10-02 10:00,邮件,A部,a1,普通,X,2026-10-08 09:05,2026-10-08 10:00,否
"""


CAL = pd.DataFrame({"date": pd.to_datetime([f"2026-10-0{d}" for d in range(1, 8)] + ["2026-10-10"]),
                    "kind": ["holiday"] * 7 + ["workday"]})


def _minutes(pairs, hours="09:00-18:00", days="mon-fri"):
    """First-response minutes of tickets created and answered at each pair of times, on the working clock of the
    KPIs (``kpi.ticket_flags``: the SQL every figure uses)."""
    t = pd.DataFrame({"ticket_id": [f"M{k}" for k in range(len(pairs))], "created_at": pd.to_datetime([a for a, _ in pairs]),
                      "first_response_at": pd.to_datetime([b for _, b in pairs]), "channel": "email",
                      "priority": "normal"})
    std = kpi.Standards(texts={"sla_clock": "working", "working_hours": hours, "working_days": days}, calendar=CAL)
    return kpi.ticket_flags(t, std, pd.Timestamp("2026-11-01"))["fr_min"].tolist()


def test_working_minutes_by_hand():
    got = _minutes([
        ("2026-09-25 17:00", "2026-09-28 10:00"),  # Fri 17–18 and Mon 9–10: over the weekend
        ("2026-09-29 07:30", "2026-09-29 09:20"),  # before opening: the clock starts at 09:00
        ("2026-09-30 17:30", "2026-10-10 09:30"),  # Wed 30 + 8th 540 + 9th 540 + Sat 10th (调休) 30
        ("2026-10-02 10:00", "2026-10-08 10:00"),  # opened on a holiday: starts on the 8th at 09:00
        ("2026-10-10 17:00", "2026-10-12 09:30"),  # the 调休 Saturday's last hour, then Monday
        ("2026-09-28 12:00", "2026-09-28 11:00"),  # the wrong way round: never negative
        ("2026-09-26 10:00", "2026-09-27 16:00"),  # a whole weekend: nothing
    ])
    assert got == [120, 20, 30 + 540 + 540 + 30, 60, 90, 0, 0]
    assert pd.isna(_minutes([("2026-09-28 09:00", None)])[0])  # not answered: no time


def test_a_round_the_clock_channel_counts_every_minute_holidays_too():
    assert _minutes([("2026-09-30 17:30", "2026-10-02 17:30")], "00:00-24:00", "mon-sun") == [2880]


def test_n_working_days_later_on_the_calendar_clock():
    clock = Clock(Hours(540, 1080), frozenset(range(5)), Calendar.from_table(CAL))
    day = lambda s: np.datetime64(s, "D")  # noqa: E731
    assert clock.nth_working_day(np.array([day("2026-09-18")]), 3).tolist() == [day("2026-09-23")]  # Fri → Wed
    assert clock.nth_working_day(np.array([day("2026-09-30"), day("2026-10-09")]), 1).tolist() == [
        day("2026-10-08"),  # over the holiday
        day("2026-10-10")]  # the 调休 Saturday


def _kpi(runner, cli, book, *extra):
    r = runner.invoke(cli, ["kpi", str(book), "--from", "2026-09-01", "--to", "2026-10-31", "--as-of",
                            "2026-11-01 00:00", *extra])
    assert r.exit_code == 0, r.output
    return r


def _load(runner, cli, book, tmp_path, calendar=True):
    for into, text in (("tickets", TICKETS), ("calendar", CALENDAR))[: 2 if calendar else 1]:
        r = runner.invoke(cli, ["import", str(book), str(write_csv(tmp_path / f"{into}.csv", text)), "--into", into])
        assert r.exit_code == 0, r.output


def test_sla_on_the_working_clock_with_complaints_held_to_the_stricter_target(runner, cli, book, tmp_path):
    _load(runner, cli, book, tmp_path)
    calendar = json.loads(_kpi(runner, cli, book, "--json").stdout)["overall"]
    assert calendar["first_response_sla_pct"] == pytest.approx(100 / 6)  # only W4 within target in clock time
    assert runner.invoke(cli, ["config", str(book), "sla_clock=working"]).exit_code == 0
    out = json.loads(_kpi(runner, cli, book, "--json").stdout)
    o = out["overall"]
    # first response 9, 8, 25, 20, 30, 5 working minutes: W5, a complaint of priority urgent, is held to 5 min
    assert o["first_response_sla_pct"] == pytest.approx(500 / 6)
    assert o["median_first_response_min"] == pytest.approx((9 + 20) / 2)
    # resolution 185 min, 9 h, 19.25 h, 28 h, 3 h, 1 h: W4, a low-priority complaint, is held to 3 working days
    # (27 working hours), stricter than low's 72 h
    assert o["resolution_sla_pct"] == pytest.approx(500 / 6)
    assert o["median_resolution_h"] == pytest.approx((185 / 60 + 9) / 2)
    assert o["complaint_first_response_sla_pct"] == 100.0  # 20 and 30 min against the complaint target alone
    assert out["sla_clock"] == {"clock": "working", "years_without_calendar": []}


def test_a_year_without_calendar_rows_is_computed_and_said(runner, cli, book, tmp_path):
    _load(runner, cli, book, tmp_path, calendar=False)  # the book lists only 2027's holidays
    assert runner.invoke(cli, ["config", str(book), "sla_clock=working"]).exit_code == 0
    r = _kpi(runner, cli, book)
    assert "2026" in r.output and "工作日历" in r.output
    out = json.loads(_kpi(runner, cli, book, "--json").stdout)
    assert out["sla_clock"]["years_without_calendar"] == [2026]
    assert out["overall"]["first_response_sla_pct"] is not None


def test_overdue_tickets_are_late_by_working_minutes(runner, cli, book, tmp_path):
    open_ticket = write_csv(tmp_path / "o.csv", "工单编号,创建时间,渠道,责任部门,优先级\nO1,2026-09-25 17:00,邮件,A部,普通\n")
    assert runner.invoke(cli, ["import", str(book), str(open_ticket), "--into", "tickets"]).exit_code == 0
    assert runner.invoke(cli, ["config", str(book), "sla_clock=working"]).exit_code == 0
    r = runner.invoke(cli, ["alerts", str(book), "--as-of", "2026-09-28 09:30", "--json"])
    assert r.exit_code == 0, r.output
    late = {b["kind"]: b["late_min"] for b in json.loads(r.stdout)["breaches"]}
    assert late == {"first_response": 90 - 10}  # Fri 17–18 and Mon 9–9:30 against 10 min; 48 h not yet reached
