"""Monitoring (issue 12): the plan's reminders, audit sampling, recording the audit, reviewer calibration."""
import json
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT
from pyaddin.book import FileBook
from pyaddin.core.sampling import allocate, calibration, stratified_sample
from pyaddin.schema import AUDIT, INSPECTIONS, TICKETS


def population(sizes: dict) -> pd.DataFrame:
    rows = [(f"{a or 'X'}{i:03d}", a) for a, n in sizes.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["ticket_id", "agent"])


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    t = population({"甲": 50, "乙": 30, "丙": 20})
    a, _ = stratified_sample(t, 0.1, 3, seed=7)
    b, _ = stratified_sample(t, 0.1, 3, seed=7)
    c, _ = stratified_sample(t, 0.1, 3, seed=8)
    assert a == b and a != c and len(a) == 11  # 5 + 3 + 2, and 丙 up to the minimum of 3


def test_strata_and_minimums():
    t = population({"甲": 90, "乙": 8, "丙": 2, None: 20})
    ids, by = stratified_sample(t, 0.1, 3, seed=1)
    got = by["sampled"].to_dict()
    assert got == {"丙": 2, "乙": 3, "未分配": 2, "甲": 9}  # everyone up to 3 where they have that many; 未分配 no minimum
    assert len(ids) == 16 >= round(0.1 * 120)  # more than round(rate × population) where the minimums need it
    assert len(set(ids)) == len(ids) and all(i.startswith(("甲", "乙", "丙", "X")) for i in ids)


def test_rates_at_zero_and_one():
    t = population({"甲": 5, "乙": 1})
    assert allocate(pd.Series({"甲": 5, "乙": 1}), 0.0, 0).tolist() == [0, 0]
    assert stratified_sample(t, 0.0, 3, 1)[1]["sampled"].to_dict() == {"乙": 1, "甲": 3}  # only the minimums
    ids, _ = stratified_sample(t, 1.0, 3, 1)
    assert sorted(ids) == sorted(t["ticket_id"])


def test_calibration_on_a_hand_computed_case():
    rows = []
    for ticket in ("T1", "T2", "T3", "T4"):
        strict_partner = "A" if ticket in ("T1", "T2") else "B"
        rows += [(ticket, "礼貌", 10, 10, strict_partner), (ticket, "礼貌", 8, 10, "Z"),
                 (ticket, "方案", 30, 30, strict_partner), (ticket, "方案", 30, 30, "Z")]
    d = pd.DataFrame(rows, columns=["ticket_id", "item", "score", "max_score", "reviewer"])
    r = calibration(d)
    items = {x["item"]: x for x in r["items"]}
    assert items["礼貌"]["mean_spread_pct"] == 20.0 and items["礼貌"]["agreement_pct"] == 0.0
    assert items["方案"]["mean_spread_pct"] == 0.0 and items["方案"]["agreement_pct"] == 100.0
    people = {x["reviewer"]: x for x in r["reviewers"]}
    # Z is 20 points under A and under B on 礼貌: effects −13.3 / +6.7 / +6.7 (centred on the average reviewer)
    assert people["Z"]["flag"] == "stricter" and people["A"]["flag"] is None and people["B"]["flag"] is None
    assert people["Z"]["mean_deviation_pct"] == pytest.approx(-20 * 2 / 3 / 2, abs=0.1)
    assert r["tickets"] == 4


@pytest.fixture
def book(tmp_path, runner, cli):
    p = tmp_path / "m.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", p)
    for name, into in (("tickets.csv", "tickets"), ("inspections.xlsx", "inspections")):
        assert runner.invoke(cli, ["import", str(p), str(ROOT / "samples" / name), "--into", into]).exit_code == 0
    return p


def test_sample_writes_the_audit_sheet_and_scores_flow_into_inspections(book, runner, cli):
    r = runner.invoke(cli, ["sample", str(book), "--period", "2026-09", "--seed", "5", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(d) == {"period", "rate", "seed", "population", "sample", "by_agent"}
    assert d["rate"] == 0.1 and d["seed"] == 5 and len(d["sample"]) >= round(0.1 * d["population"])
    assert all(v["sampled"] >= min(3, v["tickets"]) for k, v in d["by_agent"].items() if k != "未分配")
    again = json.loads(runner.invoke(cli, ["sample", str(book), "--period", "2026-09", "--seed", "5", "--json"]).output)
    assert again["sample"] == d["sample"]
    with FileBook(book) as b:
        audit = b.read(AUDIT).data
    assert set(audit["ticket_id"]) == set(d["sample"]) and len(audit) == 5 * len(d["sample"])
    assert audit["score"].isna().all() and set(audit["item"]) >= {"礼貌用语", "信息安全"}
    # a reviewer scores the first ticket on the sheet
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["抽样质检"]
    head = [c.value for c in ws[1]]
    first = ws.cell(2, 1).value
    for row in range(2, 7):
        ws.cell(row, head.index("得分") + 1).value = ws.cell(row, head.index("满分") + 1).value
        ws.cell(row, head.index("质检员") + 1).value = "周敏"
    wb.save(book)
    r = runner.invoke(cli, ["record-audit", str(book)])
    assert r.exit_code == 0 and "已把1份质检(5行)" in r.output
    with FileBook(book) as b:
        ins = b.read(INSPECTIONS).data
    mine = ins[ins["inspection_id"] == f"AU-{first}-周敏"]
    assert len(mine) == 5 and (mine["method"] == "ticket_audit").all() and (mine["score"] == mine["max_score"]).all()
    r = runner.invoke(cli, ["record-audit", str(book)])
    assert r.exit_code == 0 and "没有新填写" in r.output  # once


def test_calibrate_finds_the_sample_datas_strict_reviewer(book, runner, cli):
    r = runner.invoke(cli, ["calibrate", str(book), "--json"])
    assert r.exit_code == 0
    d = json.loads(r.output)
    flags = {x["reviewer"]: x["flag"] for x in d["reviewers"]}
    assert flags == {"周敏": None, "吴静": None, "郑强": "stricter"}
    assert {x["item"]: x["agreement_pct"] for x in d["items"]}["信息安全"] == 100.0


def test_due_lists_what_is_due_and_the_special_period(book, runner, cli):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["监控计划"]
    head = [c.value for c in ws[1]]
    ws.cell(2, head.index("下次执行") + 1).value = pd.Timestamp("2026-09-20").to_pydatetime()
    ws.cell(3, head.index("下次执行") + 1).value = pd.Timestamp("2026-10-20").to_pydatetime()
    ws.cell(2, head.index("负责人") + 1).value = "小丽"
    wb.save(book)
    r = runner.invoke(cli, ["due", str(book), "--as-of", "2026-09-25", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [x["days_late"] for x in d["due"]] == [5] and d["due"][0]["owner"] == "小丽"
    assert len(d["special"]) == 1 and d["special"][0]["until"] == "2026-09-30" and d["special"][0]["frequency"] == "daily"
    r = runner.invoke(cli, ["due", str(book), "--as-of", "2026-10-02", "--json"])
    assert json.loads(r.output)["special"] == []


def test_the_sample_does_not_depend_on_the_order_of_the_rows():
    """Ranked by a hash of the seed and the id (§8), not by position: the same tickets in another order (another
    export, another engine's scan order) draw the same sample."""
    t = population({"甲": 40, "乙": 25, None: 9})
    a, _ = stratified_sample(t, 0.2, 3, seed=5)
    b, _ = stratified_sample(t.iloc[::-1].reset_index(drop=True), 0.2, 3, seed=5)
    c, _ = stratified_sample(t.sample(frac=1, random_state=3), 0.2, 3, seed=5)
    assert a == b == c and len(a) == 15


def test_a_daily_sample_draws_from_that_days_tickets_only(book, runner, cli):
    """The seeds' daily 10 % audit (每日抽查): --day 2026-09-15 samples the tickets created that day."""
    r = runner.invoke(cli, ["sample", str(book), "--day", "2026-09-15", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    with FileBook(book) as b:
        t = b.read(TICKETS).data
    day = t[t["created_at"].dt.date == pd.Timestamp("2026-09-15").date()]
    assert d["period"]["start"] == d["period"]["end"] == "2026-09-15" and d["population"] == len(day) > 0
    assert set(d["sample"]) <= set(day["ticket_id"]) and len(d["sample"]) >= round(0.1 * len(day))
    bad = runner.invoke(cli, ["sample", str(book), "--day", "2026-09-15", "--period", "2026-09"])
    assert bad.exit_code == 2 and "只能选择一种统计周期" in bad.output
