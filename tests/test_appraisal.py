"""The quarterly appraisal (DOMAIN.md §9) on hand-computed cases, and through the command."""
import json
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT
from pyaddin.core import appraisal as ap

RULES = ap.Rules()


def ap_fill(grade):
    from pyaddin.build.appraisal_book import GRADE_FILLS

    return GRADE_FILLS[grade]


def test_weights_are_scaled_up_when_a_component_is_missing():
    full = {"csat_pct": 90, "first_response_sla_pct": 80, "fcr_pct": 70, "qa_score_pct": 60, "rectification_pct": 100}
    assert ap.weighted(full, RULES.weights) == pytest.approx((90 * 30 + 80 * 20 + 70 * 20 + 60 * 20 + 100 * 10) / 100)
    no_qa = {**full, "qa_score_pct": None}
    assert ap.weighted(no_qa, RULES.weights) == pytest.approx((90 * 30 + 80 * 20 + 70 * 20 + 100 * 10) / 80)
    assert ap.weighted({k: None for k in full}, RULES.weights) is None


def test_the_complaint_deduction_counts_only_what_lies_above_the_target_plus_major_complaints():
    assert ap.deduction(3.0, 5.0, 0, RULES) == 0.0  # under the target: nothing
    assert ap.deduction(5.4, 5.0, 0, RULES) == pytest.approx(0.8)  # continuous: 0.4 pp × 2
    assert ap.deduction(25.0, 5.0, 0, RULES) == 20.0  # at most 20
    assert ap.deduction(6.0, 5.0, 1, RULES) == pytest.approx(7.0)  # 1 pp × 2 + one major complaint × 5
    assert ap.deduction(4.0, 5.0, 5, RULES) == 20.0  # five major complaints reach the cap alone
    assert ap.deduction(None, 5.0, 0, RULES) == 0.0  # no complaint column: nothing to deduct
    perfect = {k: 100.0 for k in ap.COMPONENTS}
    assert ap.score(perfect, RULES.weights, 0.8) == 99.2
    assert ap.score({k: 10.0 for k in ap.COMPONENTS}, RULES.weights, 16.0) == 0.0  # clamped at 0


def test_rounding_is_half_away_from_zero():
    assert ap.round_half_away(84.25) == 84.3 and ap.round_half_away(0.05) == 0.1
    assert ap.round_half_away(84.249999) == 84.2 and ap.round_half_away(70.0) == 70.0
    # the weighted mean 84.25 arrives as 84.24999…: it still rounds up
    assert ap.score({"csat_pct": 84.5, "fcr_pct": 84.0}, {"csat_pct": 50, "fcr_pct": 50}, 0) == 84.3


def test_on_target_everywhere_scores_100_before_deductions():
    from pyaddin.core import kpi

    std = kpi.Standards.from_table(pd.DataFrame(columns=["kind", "key", "name", "direction", "value", "warning_band",
                                                         "note"]))
    on_target = {"csat_pct": 85.0, "first_response_sla_pct": 90.0, "fcr_pct": 75.0, "qa_score_pct": 85.0}
    scores = ap.component_scores(on_target, std, RULES)
    assert scores == {k: 100.0 for k in on_target}
    assert ap.score(scores, RULES.agent_weights, 0) == 100.0
    # the raw values would have scored (85·30 + 90·20 + 75·20 + 85·30) / 100 = 84.0
    raw = ap.Rules(raw=True)
    assert ap.score(ap.component_scores(on_target, std, raw), raw.agent_weights, 0) == 84.0


def test_attainment_is_capped_and_lower_is_better_inverts():
    assert ap.attainment(99.0, ("ge", 90.0, 5.0), 100) == 100.0
    assert ap.attainment(99.0, ("ge", 90.0, 5.0), 120) == pytest.approx(110.0)
    assert ap.attainment(45.0, ("ge", 90.0, 5.0), 100) == pytest.approx(50.0)
    assert ap.attainment(10.0, ("le", 5.0, 5.0), 100) == pytest.approx(50.0)  # 100 × 5 / 10
    assert ap.attainment(0.0, ("le", 5.0, 5.0), 120) == 120.0  # v = 0: the cap
    assert ap.attainment(80.0, ("ge", 0.0, 5.0), 100) is None  # a target of 0 drops out
    assert ap.attainment(80.0, None, 100) is None
    assert ap.attainment(None, ("ge", 90.0, 5.0), 100) is None


def test_the_rules_table_sets_weights_cap_and_method():
    from pyaddin.core import kpi

    rows = pd.DataFrame({"kind": ["setting", "setting", "weight", "weight"],
                         "key": ["appraisal_cap", "appraisal_raw", "agent_qa_score_pct", "qa_score_pct"],
                         "name": None, "direction": None, "value": [120, 1, 40, 15], "warning_band": None, "note": None})
    r = ap.Rules.from_standards(kpi.Standards.from_table(rows))
    assert r.attainment_cap == 120 and r.raw is True
    assert r.agent_weights["qa_score_pct"] == 40 and r.weights["qa_score_pct"] == 15
    assert r.agent_weights["csat_pct"] == 30 and "rectification_pct" not in r.agent_weights


@pytest.mark.parametrize("value,grade", [(90.0, "A"), (89.9, "B"), (80.0, "B"), (79.9, "C"), (70.0, "C"),
                                         (69.9, "D"), (0.0, "D"), (None, None)])
def test_grade_boundaries(value, grade):
    assert ap.grade(value, RULES) == grade


def test_equal_scores_share_the_better_rank():
    assert list(ap.rank(pd.Series([88.5, 91.0, 88.5, 70.0]))) == [2, 1, 2, 4]


def test_the_staff_list_places_an_agent_by_the_row_covering_most_of_the_quarter():
    q = pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01")
    staff = pd.DataFrame({"agent": ["a", "a", "b", "c", "d", "d"], "department": ["X", "Y", "Z", "W", "V", "U"],
                          "active_from": pd.to_datetime(["2026-01-01", "2026-09-01", None, "2026-10-05", None, None]),
                          "active_to": pd.to_datetime(["2026-08-31", None, None, None, None, None])})
    placed = ap.roster_department(staff, *q).to_dict()
    # a: 62 days in X against 30 in Y; b: open-ended; c: starts after the quarter (not placed); d: a tie → U
    assert placed == {"a": "X", "b": "Z", "d": "U"}


def test_an_agents_department_is_where_most_of_their_tickets_were():
    t = pd.DataFrame({"agent": ["a", "a", "a", "b", "b", "c", None], "department": ["X", "Y", "Y", "Z", "W", None, "V"],
                      "created_at": pd.Timestamp("2026-09-01")})
    # b: a tie goes to the name that sorts first; c has no department on any ticket; a ticket without an agent
    assert ap.home_department(t).to_dict() == {"a": "Y", "b": "W"}


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
    staff = pd.DataFrame({"agent": ["乙"], "department": ["B部"], "active_from": pd.to_datetime(["2026-01-01"]),
                          "active_to": pd.to_datetime([None])})
    r = ap.appraise(t, empty_s, empty_i, plan, std, p, RULES, staff)
    agents = {a["agent"]: a for a in r["agents"]}
    # 甲: SLA 100 and FCR 100, each capped at 100 points against 90 and 75; complaints 2/40 = 5 %, exactly the
    # target → no deduction → 100.0 (A); no rectification for an agent
    assert agents["甲"]["scores"] == {"csat_pct": None, "first_response_sla_pct": 100.0, "fcr_pct": 100.0,
                                     "qa_score_pct": None}
    assert agents["甲"]["components"]["rectification_pct"] is None
    assert agents["甲"]["score"] == 100.0 and agents["甲"]["grade"] == "A" and agents["甲"]["deduction"] == 0.0
    # 乙 works on A部's tickets but the staff list puts them in B部; 甲, 丙 and 丁 are placed by their tickets
    assert agents["乙"]["department"] == "B部" and sorted(r["placed_by_tickets"]) == ["丁", "丙", "甲"]
    assert agents["甲"]["rank"] == 1
    assert agents["丙"]["status"] == "insufficient_sample" and agents["丙"]["grade"] is None and agents["丙"]["rank"] is None
    # 丁: SLA 50 → 100 × 50 / 90 = 55.56 points, FCR 100 → (55.56·20 + 100·20) / 40 = 77.8 → C; shares B部's rank 1
    # with nobody: 乙 scores 100
    assert agents["丁"]["score"] == 77.8 and agents["丁"]["grade"] == "C" and agents["丁"]["rank"] == 2
    assert agents["乙"]["rank"] == 1
    depts = {d["department"]: d for d in r["departments"]}
    # A部: SLA 100, FCR 100, rectification 50 (raw: one of two due actions done on time) with the department's
    # weights 20/20/10 → (100·20 + 100·20 + 50·10) / 50 = 90.0; complaints 4/90 = 4.4 % under 5 → A
    assert depts["A部"]["components"]["rectification_pct"] == 50.0 and depts["A部"]["scores"]["rectification_pct"] == 50.0
    assert depts["A部"]["score"] == 90.0 and depts["A部"]["grade"] == "A" and depts["A部"]["rank"] == 1


def test_a_cancelled_action_and_one_due_after_the_quarter_count_for_nothing():
    plan = pd.DataFrame({"department": ["A", "A", "A"], "deadline": pd.to_datetime(["2026-08-10", "2026-09-10",
                                                                                    "2026-10-10"]),
                         "status": ["done", "cancelled", "planned"],
                         "completed_on": pd.to_datetime(["2026-08-09", None, None])})
    assert ap.rectification(plan, pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01")).to_dict() == {"A": 100.0}
    # the deadline in force at the quarter's end decides, not a later extension
    moved = plan.assign(deadline=pd.to_datetime(["2026-10-20", "2026-09-10", "2026-10-10"]),
                        deadline_at_end=pd.to_datetime(["2026-08-10", "2026-09-10", "2026-10-10"]))
    assert ap.rectification(moved, pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01")).to_dict() == {"A": 100.0}


def test_the_appraise_command_and_the_management_workbook(tmp_path, runner, cli):
    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections"),
                       ("staff.csv", "staff")):
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
    # the sample's agents work in one department as real teams do: every department has graded agents, and most
    # of them meet most targets (on target = 100 points)
    assert {x["department"] for x in d["agents"]} == {x["department"] for x in d["departments"]}
    assert sum(x["grade"] in ("A", "B") for x in d["agents"]) > len(d["agents"]) / 2
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "部门汇总" and set(wb.sheetnames[1:]) == {x["department"] for x in d["departments"]}
    cover = wb["部门汇总"]
    assert "2026Q3" in cover["A1"].value and "达成率" in cover["A2"].value
    summary = [[c.value for c in row] for row in cover.iter_rows(min_row=5, max_row=4 + len(d["departments"]))]
    assert {row[1] for row in summary} == {x["department"] for x in d["departments"]}
    assert [row[0] for row in summary] == sorted(row[0] for row in summary)  # ranked
    assert any("季度表彰" in str(row[-1]) or "奖金系数" in str(row[-1]) for row in summary)
    grade_col = [c.value for c in cover[4]].index("等级") + 1
    assert all(cover.cell(row=r, column=grade_col).fill.fgColor.rgb.endswith(ap_fill(cover.cell(row=r, column=grade_col)
                                                                                      .value))
               for r in range(5, 5 + len(summary)))
    assert any("郑临时" in str(c.value) for row in cover.iter_rows() for c in row)  # placed by tickets, listed
    assert "郑临时" in openpyxl.load_workbook(book)["季度考核"]["A3"].value  # on the master's sheet as well
    for x in d["departments"]:
        ws = wb[x["department"]]
        assert "2026Q3" in ws["A1"].value and x["department"] in ws["A1"].value
        assert x["department"] in ws.oddHeader.center.text and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.orientation == "landscape"
    r = runner.invoke(cli, ["appraise", str(book), "--quarter", "2026Q9"])
    assert r.exit_code == 2


def test_sheet_names_are_safe_for_any_department_name():
    from pyaddin.build.appraisal_book import safe_sheet_names

    names = ["客服/售后:一部", "'引号部'", "a" * 40, "a" * 40 + "b", "部门汇总", "[IT]*?", "Ops", "ops"]
    out = safe_sheet_names(names, ("部门汇总",))
    assert len(set(v.casefold() for v in out.values())) == len(names)  # unique, as Excel compares
    for v in out.values():
        assert len(v) <= 31 and not v.startswith("'") and not v.endswith("'") and v.strip()
        assert not set(v) & set("[]:*?/\\")
    assert out["客服/售后:一部"] == "客服_售后_一部" and out["部门汇总"] != "部门汇总"


def test_a_department_without_agents_of_its_own_says_why(tmp_path):
    from pyaddin.build.appraisal_book import write_appraisal_book

    comps = {c: 90.0 for c in ("csat_pct", "first_response_sla_pct", "fcr_pct", "qa_score_pct")}
    result = {"agents": [{"agent": "甲", "department": "客服/中心", "tickets": 40, "score": 95.0, "grade": "A",
                          "status": "graded", "rank": 1, "components": comps, "deduction": 0.0}],
              "departments": [{"department": "客服/中心", "tickets": 40, "score": 95.0, "grade": "A", "rank": 1,
                               "components": comps, "deduction": 0.0},
                              {"department": "物流部", "tickets": 12, "score": 70.0, "grade": "C", "rank": 2,
                               "components": comps, "deduction": 0.0}],
              "placed_by_tickets": []}
    out = write_appraisal_book(tmp_path / "a.xlsx", result, "2026Q3", ap.Rules(), "zh", "规则")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["部门汇总", "客服_中心", "物流部"]
    assert "12件工单均由归属其他部门的人员处理" in wb["物流部"]["A4"].value
    assert wb["客服_中心"]["A4"].value == "甲"


def test_the_management_workbook_reads_as_a_manager_needs_it(tmp_path):
    """Every header whole in its column (首次响应SLA达成率% was cut to 率%), figures to one decimal (91.0, not 91),
    a grade in a centred column of its own (not "91 A"), a figure never supplied as 无数据, and on an agent's sheet
    no column that is the department's alone."""
    from pyaddin.build.appraisal_book import write_appraisal_book
    from pyaddin.ooxml.text import printed_width

    comps = {"csat_pct": 74.5, "first_response_sla_pct": 79.3, "fcr_pct": 68.0, "qa_score_pct": 87.1,
             "rectification_pct": None, "complaint_rate_pct": 3.4}
    result = {"agents": [{"agent": "罗华", "department": "门店运营部", "tickets": 104, "score": 91.0, "grade": "A",
                          "status": "graded", "rank": 1, "components": comps, "deduction": 0.0}],
              "departments": [{"department": "门店运营部", "tickets": 445, "score": 91.0, "grade": "A", "rank": 1,
                               "components": comps, "deduction": 0.0}], "placed_by_tickets": []}
    wb = openpyxl.load_workbook(write_appraisal_book(tmp_path / "a.xlsx", result, "2026Q3", ap.Rules(), "zh", "规则"))
    for ws, top in ((wb["部门汇总"], 4), (wb["门店运营部"], 3)):
        header = [c.value for c in ws[top]]
        for i, h in enumerate(header, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            assert ws.column_dimensions[letter].width >= printed_width(h) + 1, h  # the header on one line, whole
            value = ws.cell(row=top + 1, column=i)
            if h in ("综合得分", "投诉扣分", "满意度%", "一次解决率%", "首次响应SLA达成率%"):
                assert value.number_format == "0.0", h
            if h in ("等级", "部门排名", "部门内排名"):
                assert value.alignment.horizontal == "center", h
        row = {h: ws.cell(row=top + 1, column=i).value for i, h in enumerate(header, start=1)}
        assert row["综合得分"] == 91.0 and row["等级"] == "A"
    cover, agent = wb["部门汇总"], wb["门店运营部"]
    assert {str(r) for r in cover.merged_cells.ranges} == {f"A2:{openpyxl.utils.get_column_letter(cover.max_column)}2"}
    assert [c.value for c in cover[5]][[c.value for c in cover[4]].index("整改完成率%")] == "无数据"
    assert "整改完成率%" not in [c.value for c in agent[3]]
