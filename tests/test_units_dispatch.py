"""Fast unit tests on hand-made rows: they judge the mutants of core/dispatch.py (make mutation). Hashes are checked
against hashlib over the parts the docstrings name: a department workbook already sent must keep matching."""
import datetime as dt
import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from pyaddin import schema
from pyaddin.core import dispatch as d
from pyaddin.schema import Field, Table

PLAN, PROBLEMS, ROOTCAUSE = schema.PLAN, schema.PROBLEMS, schema.ROOTCAUSE


def test_what_a_department_may_edit():
    assert [f.key for f in d.editable(PLAN)] == ["progress_pct", "status", "completed_on", "evidence", "note",
                                                "extension_to", "extension_reason"]
    assert [f.key for f in d.editable(ROOTCAUSE)] == ["verified", "evidence"]
    assert [f.key for f in d.locked(PROBLEMS)] == [f.key for f in PROBLEMS.fields if f.key != "status"]


@pytest.mark.parametrize("name,stem", [
    ("客服/售后", "客服_售后"), ("a..b", "a_b"), (" .x. ", "x"), ("...", "_"), ("", "_"), ("CON", "_CON"),
    ("con.txt", "_con.txt"), ("Com1", "_Com1"), ("com0", "com0"), ("lpt9.x", "_lpt9.x"), ("LPT10", "LPT10"),
    ("nul", "_nul"), ("aux.", "_aux"), ("prn", "_prn"), ("ＡＢ", "AB"), ("a\x7fb\x1fc", "a_b_c"), ('<>:"|?*', "_______"),
    ("a" * 61, "a" * 60), ("a" * 59 + " .b", "a" * 59), ("a.b", "a.b"), (7, "7")])
def test_a_department_name_as_a_file_name(name, stem):
    assert d.safe_stem(name) == stem


def test_file_names_never_collide_even_by_case():
    assert d.file_names("B1", ["客服", "A/B", "a_b", "a:b", "X"]) == {
        "客服": "B1_客服.xlsx", "A/B": "B1_A_B.xlsx", "a_b": "B1_a_b-2.xlsx", "a:b": "B1_a_b-3.xlsx", "X": "B1_X.xlsx"}


def test_the_next_batch_of_the_day():
    day = dt.date(2026, 9, 27)
    taken = pd.Series(["B20260927-1", "B20260927-2", None, "B20260926-3", "xB20260927-3"])
    assert d.next_batch(taken, day) == "B20260927-3"
    assert d.next_batch(pd.Series(["B20260927-2"]), day) == "B20260927-1"
    assert d.next_batch(pd.Series([], dtype=object), dt.date(2026, 1, 5)) == "B20260105-1"


def test_canonical_and_plain_values_of_each_type():
    deadline, done = PLAN.field("deadline"), PLAN.field("progress_pct")
    created, verified, status = schema.TICKETS.field("created_at"), ROOTCAUSE.field("verified"), PLAN.field("status")
    for blank in (None, "", float("nan"), pd.NaT, pd.NA, np.nan):
        assert d.canon(blank, deadline) == "" and d.plain(blank, done) is None
    assert d.canon(" ", status) == " " and d.plain(" ", status) == " "
    assert d.canon(pd.Timestamp("2026-09-30 13:45:10"), deadline) == "2026-09-30"
    assert d.canon("2026-09-30 13:45:10", created) == "2026-09-30T13:45:10"
    assert d.plain(dt.datetime(2026, 9, 30, 8), created) == "2026-09-30T08:00:00"
    assert d.plain(dt.date(2026, 9, 30), deadline) == "2026-09-30"
    assert d.canon(True, verified) == "1" and d.canon(0, verified) == "0" and d.canon(np.bool_(True), verified) == "1"
    assert d.plain(1, verified) is True and d.plain(False, verified) is False
    assert d.canon(80, done) == "80" and d.canon(0.1 + 0.2, done) == "0.3" and d.canon("12.50", done) == "12.5"
    assert d.canon(1234567890123.4, done) == "1.23456789012e+12"
    assert d.plain(80.0, done) == 80 and type(d.plain(80.0, done)) is int and d.plain("2.5", done) == 2.5
    assert d.canon("in_progress", status) == "in_progress" and d.plain(3, status) == "3"
    assert d.canon(5, PLAN.field("days_overdue")) == "5" and d.plain(5, PLAN.field("cost")) == 5
    assert d._blank([1, 2]) is False and d._blank(0) is False and d._blank("x") is False


def causes():
    return pd.DataFrame({"problem_id": ["P1", "P2", "P1", "P3"], "cause": ["a", "b", "c", "d"],
                         "verified": [True, None, False, None]}, index=[4, 2, 9, 1])


def test_root_causes_are_numbered_within_their_problem_as_listed():
    assert d.cause_ids(causes()).tolist() == ["P1#1", "P2#1", "P1#2", "P3#1"]
    assert list(d.cause_ids(causes()).index) == [4, 2, 9, 1]
    assert d.item_ids(ROOTCAUSE, causes()).tolist() == ["P1#1", "P2#1", "P1#2", "P3#1"]
    assert d.item_ids(PLAN, pd.DataFrame({"action_id": ["A1", 7]})).tolist() == ["A1", "7"]


def work():
    problems = pd.DataFrame({"problem_id": ["P1", "P2", "P3", "P4"], "owner_department": ["X", "X", " ", "Y"],
                             "status": ["open", "closed", None, None]})
    plan = pd.DataFrame({"action_id": ["A1", "A2", "A3", "A4", "A5", "A6"], "problem_id": ["P1"] * 6,
                         "department": ["X", "X", "Z ", None, "X", "Y"],
                         "status": [None, "done", "in_progress", "planned", "cancelled", "overdue"]})
    return problems, plan


def test_a_departments_share_is_its_open_problems_their_causes_and_its_open_actions():
    problems, plan = work()
    s = d.select(problems, causes(), plan, "X")
    assert s["problems"]["problem_id"].tolist() == ["P1"]  # P2 is closed
    assert s["rootcause"]["_id"].tolist() == ["P1#1", "P1#2"] and s["rootcause"]["cause"].tolist() == ["a", "c"]
    assert s["plan"]["action_id"].tolist() == ["A1"]  # a blank status is planned; done and cancelled are not sent
    assert d.select(problems, causes(), plan, "Y")["problems"]["problem_id"].tolist() == ["P4"]  # blank status: open
    assert d.departments_with_work(problems, plan) == ["X", "Y", "Z"]
    assert d.unassigned(problems, plan) == ["P3", "A4"]


def fp(*parts):
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def test_the_fingerprint_of_a_row_is_a_hash_of_what_was_sent():
    row = {"problem_id": "P1", "description": "慢", "frequency": 5.0, "status": "open",
           "created_at": pd.Timestamp("2026-09-01")}
    got = d.fingerprint("B1", "M", "X", PROBLEMS, "P1", row)
    fields = [f"{f.key}={d.canon(row.get(f.key), f)}" for f in PROBLEMS.fields]
    assert got == fp(d.FORMAT, "B1", "M", "X", "problems", "P1", *fields)
    assert "frequency=5" in fields and "created_at=2026-09-01" in fields and "source=" in fields
    for change in ({"batch": "B2"}, {"master_id": "N"}, {"department": "Y"}, {"item": "P2"}):
        args = {"batch": "B1", "master_id": "M", "department": "X", "item": "P1", **change}
        assert d.fingerprint(args["batch"], args["master_id"], args["department"], PROBLEMS, args["item"], row) != got
    returned = {**row, "status": "closed"}  # an editable field changed: the fingerprint holds the value sent
    assert d.locked_fingerprint("B1", "M", "X", PROBLEMS, "P1", returned, row) == got
    assert d.locked_fingerprint("B1", "M", "X", PROBLEMS, "P1", {**row, "description": "快"}, row) != got


def test_sent_values_travel_as_canonical_text_and_come_back_typed():
    row = {"progress_pct": 50.0, "status": "in_progress", "completed_on": pd.Timestamp("2026-09-30"),
           "evidence": "记录", "note": None, "action_id": "A1"}
    text = d.sent_values(row, PLAN)
    assert text == json.dumps({"completed_on": "2026-09-30", "evidence": "记录", "extension_reason": "",
                               "extension_to": "", "note": "", "progress_pct": "50", "status": "in_progress"},
                              ensure_ascii=False, sort_keys=True)
    assert "记录" in text  # not escaped
    assert d.typed_sent(text, PLAN) == {"progress_pct": 50.0, "status": "in_progress",
                                        "completed_on": pd.Timestamp("2026-09-30"), "evidence": "记录", "note": None,
                                        "extension_to": None, "extension_reason": None}
    assert d.typed_sent('{"verified": "1"}', ROOTCAUSE) == {"verified": True, "evidence": None}
    assert d.typed_sent('{"verified": "0", "evidence": "x"}', ROOTCAUSE) == {"verified": False, "evidence": "x"}


def test_the_digest_of_the_hidden_sheet():
    h = hashlib.sha256()
    h.update(b"a\x1fb" + b"\x1e")
    h.update(b"c" + b"\x1e")
    assert d.digest([["a", "b"], ["c"]]) == h.hexdigest()
    assert d.digest([["a", "b"], ["c"]]) != d.digest([["a"], ["b", "c"]]) != d.digest([])


def test_three_values_decide_each_field():
    assert d.merge_field("1", "1", "1") == "same" and d.merge_field("1", "2", "1") == "same"
    assert d.merge_field("1", "2", "2") == "done"
    assert d.merge_field("1", "1", "3") == "apply" and d.merge_field("1", "2", "3", superseded=True) == "apply"
    assert d.merge_field("1", "2", "3") == "conflict"


SENT_ON, COLLECTED = dt.date(2026, 10, 1), dt.date(2026, 10, 8)
MASTER_ROW = {"start": pd.Timestamp("2026-09-01"), "deadline": pd.Timestamp("2026-09-30")}


def rule(sent, returned, locked_row=MASTER_ROW, table=PLAN, sent_on=SENT_ON, accepted=False):
    return d.department_rules(table, sent, locked_row, returned, COLLECTED, sent_on, accepted)


def test_a_department_may_not_close_a_problem_but_may_do_anything_else_to_it():
    assert rule({"status": "open"}, {"status": "closed"}, table=PROBLEMS).refuse == "rule_no_closing"
    assert rule({"status": "closed"}, {"status": "closed"}, table=PROBLEMS).refuse is None
    r = rule({"status": "open"}, {"status": "analysing"}, table=PROBLEMS)
    assert (r.refuse, r.hold, r.adjust, r.said, r.facts) == (None, None, {}, [], {})
    assert rule({}, {"verified": True, "completed_on": "2020-01-01"}, table=ROOTCAUSE).refuse is None


@pytest.mark.parametrize("old,new,reason", [
    ("in_progress", "cancelled", "rule_no_cancelling"), ("in_progress", "overdue", "rule_overdue_is_computed"),
    ("in_progress", "planned", "rule_no_going_back"), ("done", "in_progress", "rule_no_going_back"),
    ("overdue", "planned", None), ("planned", "overdue", "rule_overdue_is_computed"), ("overdue", "overdue", None),
    ("cancelled", "cancelled", None), ("planned", "in_progress", None), (None, "planned", None)])
def test_the_moves_of_an_action(old, new, reason):
    r = rule({"status": old}, {"status": new})
    assert r.refuse == reason
    if reason == "rule_no_going_back":
        assert r.facts == {"old": old, "new": new}


def test_the_completion_date_between_the_start_and_the_collection():
    r = rule({"status": "in_progress"}, {"status": "in_progress", "completed_on": pd.Timestamp("2026-08-31 23:00")})
    assert (r.refuse, r.facts) == ("rule_done_before_start", {"date": "2026-08-31", "start": "2026-09-01"})
    r = rule({"status": "in_progress"}, {"status": "done", "completed_on": "2026-10-09", "progress_pct": 100})
    assert (r.refuse, r.facts) == ("rule_done_in_future", {"date": "2026-10-09", "today": "2026-10-08"})
    for day in ("2026-09-01", "2026-10-08"):  # the start day and the collection day are allowed
        assert rule({"status": "in_progress"}, {"status": "done", "completed_on": day, "progress_pct": 100}).refuse is None
    no_start = rule({"status": "in_progress"}, {"status": "in_progress", "completed_on": "2020-01-01"},
                    locked_row={"start": None})
    assert no_start.refuse is None


def test_done_means_100_percent():
    r = rule({"status": "in_progress"}, {"status": "done", "progress_pct": 95, "completed_on": "2026-09-20"})
    assert r.adjust == {"progress_pct": 100.0} and r.said == ["rule_done_means_100"] and r.refuse is None
    r = rule({"status": "in_progress"}, {"status": "done", "progress_pct": None, "completed_on": "2026-09-20"})
    assert r.adjust == {"progress_pct": 100.0}
    assert rule({"status": "in_progress"}, {"status": "done", "progress_pct": 100}).adjust == {}
    assert rule({"status": "in_progress"}, {"status": "in_progress", "progress_pct": 50}).adjust == {}


def test_an_action_late_when_sent_and_back_done_on_time_is_held():
    back = {"status": "done", "progress_pct": 100, "completed_on": pd.Timestamp("2026-09-30")}
    # sent on 1 Oct, the deadline 30 Sept had passed: done on the deadline day is doubtful
    r = rule({"status": "in_progress"}, back)
    assert r.hold == "rule_late_reported_on_time"
    assert r.facts == {"date": "2026-09-30", "deadline": "2026-09-30", "days": 1}
    assert rule({"status": "overdue"}, back, sent_on=None).facts["days"] == 0  # overdue when sent, sent day unknown
    assert rule({"status": "in_progress"}, back, sent_on=None).hold is None
    assert rule({"status": "in_progress"}, back, sent_on=dt.date(2026, 9, 30)).hold is None  # on time when sent
    assert rule({"status": "in_progress"}, back, accepted=True).hold is None  # the quality team accepted it
    assert rule({"status": "done"}, back).hold is None  # not a change
    assert rule({"status": "in_progress"}, {**back, "completed_on": "2026-10-01"}).hold is None  # reported late
    assert rule({"status": "in_progress"}, {**back, "completed_on": None}).hold is None
    assert rule({"status": "in_progress"}, back, locked_row={"start": None, "deadline": None}).hold is None
    assert rule({"status": "overdue"}, back, locked_row={"start": None, "deadline": None}).hold is None


def test_feedback_entries_hash_alike_in_a_second_return_and_apart_when_repeated():
    rows = pd.DataFrame({"date": [pd.Timestamp("2026-10-02")] * 3, "person": ["王", "王", "李"],
                         "kind": ["complaint"] * 3, "text": ["慢", "慢", "慢"], "extra": [1, 2, 3]})
    out = d.feedback_fingerprints("B1", "M", "X", rows)
    assert len(out) == 3 and len(set(out)) == 3 and all(len(h) == 16 for h in out)
    key = ("2026-10-02", "王", "complaint", "慢")
    assert out[0] == fp(d.FORMAT, "B1", "M", "X", "feedback", *key, "1")[:16]
    assert out[1] == fp(d.FORMAT, "B1", "M", "X", "feedback", *key, "2")[:16]
    assert d.feedback_fingerprints("B1", "M", "X", rows.iloc[[2]]) == out[2:]
    assert d.feedback_fingerprints("B2", "M", "X", rows)[0] != out[0]


def test_dots_at_either_end_go_before_and_after_the_cut():
    assert d.safe_stem("." + "a" * 60) == "a" * 60  # the leading dot goes first: 60 letters are kept
    assert d.safe_stem("a" * 59 + ".b") == "a" * 59  # the cut leaves a dot at the end: it goes too
    assert d.next_batch(pd.Series(["B20260927-1"]), dt.date(2026, 9, 27)) == "B20260927-2"


def test_values_of_every_field_type_in_and_out():
    cost, days, deadline = PLAN.field("cost"), PLAN.field("days_overdue"), PLAN.field("deadline")
    assert d.canon(5.0, cost) == "5" and d.canon(5, days) == "5"
    assert d.plain(pd.Timestamp("2026-09-30"), deadline) == "2026-09-30" and d.plain(5.0, days) == 5
    kinds = Table("t", "t", "t", "t", "worklist", tuple(
        Field(k, k, k, k, editable_by_department=True) for k in ("datetime", "integer", "number", "percent", "date")))
    text = d.sent_values({"datetime": pd.Timestamp("2026-09-30 08:30"), "integer": 3, "number": 2.5, "percent": 80,
                          "date": pd.Timestamp("2026-10-01")}, kinds)
    assert d.typed_sent(text, kinds) == {"datetime": pd.Timestamp("2026-09-30 08:30"), "integer": 3.0, "number": 2.5,
                                         "percent": 80.0, "date": pd.Timestamp("2026-10-01")}
    assert d.typed_sent("{}", PLAN) == {f.key: None for f in d.editable(PLAN)}  # a field the text lacks is blank


def test_work_and_unowned_items_of_problems_alone():
    problems, plan = work()
    problems = pd.concat([problems, pd.DataFrame({"problem_id": ["P5", "P6", "P7", "P8"],
                                                  "owner_department": ["W", "V", None, None],
                                                  "status": ["open", "closed", "open", "closed"]})], ignore_index=True)
    assert d.departments_with_work(problems, plan) == ["W", "X", "Y", "Z"]  # V's only problem is closed
    assert d.unassigned(problems, plan) == ["P3", "P7", "A4"]


def test_a_late_action_reported_on_time_is_held_unless_accepted():
    back = {"status": "done", "progress_pct": 100, "completed_on": pd.Timestamp("2026-09-30")}
    r = d.department_rules(PLAN, {"status": "in_progress"}, MASTER_ROW, back, dt.date(2026, 10, 8), dt.date(2026, 10, 1))
    assert r.hold == "rule_late_reported_on_time"
