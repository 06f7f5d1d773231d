"""The quarterly appraisal (DOMAIN.md §9) on hand-computed cases, and through the command."""
import json
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT
from pyaddin.core import appraisal as ap

RULES = ap.Rules()


def test_weights_are_scaled_up_when_a_component_is_missing():
    full = {"csat_pct": 90, "first_response_sla_pct": 80, "fcr_pct": 70, "qa_score_pct": 60, "rectification_pct": 100}
    assert ap.weighted(full, RULES.weights) == pytest.approx((90 * 30 + 80 * 20 + 70 * 20 + 60 * 20 + 100 * 10) / 100)
    no_qa = {**full, "qa_score_pct": None}
    assert ap.weighted(no_qa, RULES.weights) == pytest.approx((90 * 30 + 80 * 20 + 70 * 20 + 100 * 10) / 80)
    assert ap.weighted({k: None for k in full}, RULES.weights) is None


def test_the_complaint_deduction_is_capped_and_the_score_clamped():
    perfect = {k: 100.0 for k in ap.COMPONENTS}
    assert ap.score(perfect, 3.0, RULES) == (94.0, 6.0)  # 2 points per percentage point
    assert ap.score(perfect, 25.0, RULES) == (80.0, 20.0)  # at most 20
    low = {k: 10.0 for k in ap.COMPONENTS}
    assert ap.score(low, 8.0, RULES) == (0.0, 16.0)  # clamped at 0
    assert ap.score(perfect, None, RULES) == (100.0, 0.0)  # no complaint column: nothing to deduct
    assert ap.score({**perfect, "csat_pct": 83.33333}, 0.0, RULES)[0] == 95.0  # rounded to one decimal


@pytest.mark.parametrize("value,grade", [(90.0, "A"), (89.9, "B"), (80.0, "B"), (79.9, "C"), (70.0, "C"),
                                         (69.9, "D"), (0.0, "D"), (None, None)])
def test_grade_boundaries(value, grade):
    assert ap.grade(value, RULES) == grade


def test_equal_scores_share_the_better_rank():
    assert list(ap.rank(pd.Series([88.5, 91.0, 88.5, 70.0]))) == [2, 1, 2, 4]


def test_an_agents_department_is_where_most_of_their_tickets_were():
    t = pd.DataFrame({"agent": ["a", "a", "a", "b", "b"], "department": ["X", "Y", "Y", "Z", "W"]})
    assert ap.home_department(t).to_dict() == {"a": "Y", "b": "W"}  # b: a tie goes to the name that sorts first


def tickets(agent, dept, n, complaints=0, fr_ok=None):
    """n tickets of one agent in August 2026, all resolved at first contact, answered in 3 minutes."""
    created = pd.date_range("2026-08-01 09:00", periods=n, freq="h")
    fr_ok = n if fr_ok is None else fr_ok
    return pd.DataFrame({"ticket_id": [f"{agent}{i}" for i in range(n)], "created_at": created, "channel": "phone",
                         "department": dept, "agent": agent, "priority": "normal", "category": "x",
                         "first_response_at": created + pd.to_timedelta([3 if i < fr_ok else 30 for i in range(n)], "m"),
                         "resolved_at": created + pd.Timedelta(hours=2), "contacts": 1, "reopened": False,
                         "is_complaint": [i < complaints for i in range(n)], "resolution_note": "ok"})


def test_minimum_sample_and_ranks_on_a_small_quarter():
    from pyaddin.core import kpi

    t = pd.concat([tickets("甲", "A部", 40, complaints=2), tickets("乙", "A部", 40, complaints=2),
                   tickets("丙", "A部", 10), tickets("丁", "B部", 50, fr_ok=25)], ignore_index=True)
    empty_s = pd.DataFrame(columns=["survey_id", "ticket_id", "submitted_at", "channel", "department", "agent",
                                    "csat", "nps", "comment"]).astype({"submitted_at": "datetime64[ns]"})
    empty_i = pd.DataFrame(columns=["inspection_id", "inspected_at", "method", "department", "agent", "ticket_id",
                                    "item", "score", "max_score", "critical", "note"]).astype({"inspected_at": "datetime64[ns]"})
    plan = pd.DataFrame({"department": ["A部", "A部"], "deadline": pd.to_datetime(["2026-08-10", "2026-09-10"]),
                         "status": ["done", "in_progress"], "completed_on": pd.to_datetime(["2026-08-09", None])})
    std = kpi.Standards.from_table(pd.DataFrame(columns=["kind", "key", "name", "direction", "value", "warning_band", "note"]))
    p = kpi.quarter_period("2026Q3")
    r = ap.appraise(t, empty_s, empty_i, plan, std, p, RULES)
    agents = {a["agent"]: a for a in r["agents"]}
    # 甲: SLA 100, FCR 100, rectification 50 (one of two due actions done on time) → (100·20+100·20+50·10)/50 = 90,
    # complaints 2/40 = 5 % → −10 → 80.0 (B)
    assert agents["甲"]["components"]["rectification_pct"] == 50.0
    assert agents["甲"]["score"] == 80.0 and agents["甲"]["grade"] == "B" and agents["甲"]["deduction"] == 10.0
    assert agents["乙"]["score"] == 80.0 and agents["甲"]["rank"] == agents["乙"]["rank"] == 1  # a tie shares rank 1
    assert agents["丙"]["status"] == "insufficient_sample" and agents["丙"]["grade"] is None and agents["丙"]["rank"] is None
    # 丁: SLA 50, FCR 100, no rectification data (B部 has no actions) → (50·20+100·20)/40 = 75 → C
    assert agents["丁"]["score"] == 75.0 and agents["丁"]["grade"] == "C" and agents["丁"]["rank"] == 1
    assert agents["丁"]["components"]["rectification_pct"] is None
    depts = {d["department"]: d for d in r["departments"]}
    assert depts["A部"]["components"]["first_response_sla_pct"] == 100.0 and depts["A部"]["grade"] == "B"


def test_the_appraise_command_and_the_management_workbook(tmp_path, runner, cli):
    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / name), "--into", into]).exit_code == 0
    out = tmp_path / "考核.xlsx"
    r = runner.invoke(cli, ["appraise", str(book), "--quarter", "2026Q3", "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(d) == {"quarter", "agents", "departments"} and d["quarter"] == "2026Q3"
    a = d["agents"][0]
    assert set(a) == {"agent", "department", "tickets", "score", "grade", "status", "rank", "components"}
    assert set(d["departments"][0]) == {"department", "score", "grade", "components"}
    assert all(x["agent"] != "未分配" for x in d["agents"])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "部门汇总" and set(wb.sheetnames[1:]) == {x["department"] for x in d["departments"]}
    summary = [[c.value for c in row] for row in wb["部门汇总"].iter_rows(min_row=4)]
    assert {row[0] for row in summary} == {x["department"] for x in d["departments"]}
    assert any("季度表彰" in str(row[-1]) or "奖金系数" in str(row[-1]) for row in summary)
    r = runner.invoke(cli, ["appraise", str(book), "--quarter", "2026Q9"])
    assert r.exit_code == 2
