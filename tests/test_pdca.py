"""The PDCA loop (issue 9): Pareto, the problem list, root causes and the fishbone, the plan check,
effect verification — on hand-made cases and on the sample data's planted improvement."""
import io
import json
import math
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT, write_csv
from pyaddin.book import FileBook
from pyaddin.core import pdca
from pyaddin.core.pareto import pareto
from pyaddin.schema import PLAN, PLAN_BY_DEPARTMENT, PROBLEMS

SAMPLES = ROOT / "samples"


def vital(counts: dict, weights=None):
    values = pd.Series([k for k, n in counts.items() for _ in range(n)], dtype=object)
    f = pareto(values, weights)
    return list(f["category"]), list(f["vital_few"]), list(f["cum_pct"])


def test_pareto_sorts_by_count_then_name_and_the_row_crossing_80_is_in():
    names, v, cum = vital({"b": 20, "a": 20, "c": 50, "d": 10})
    assert names == ["c", "a", "b", "d"] and cum == [50.0, 70.0, 90.0, 100.0]
    assert v == [True, True, True, False]  # 70 < 80, 90 crosses: the crossing row is in


def test_pareto_exactly_80_closes_the_set():
    assert vital({"a": 40, "b": 40, "c": 10, "d": 10})[1] == [True, True, False, False]


def test_pareto_single_category_and_all_equal():
    assert vital({"x": 7}) == (["x"], [True], [100.0])
    names, v, cum = vital({"d": 5, "c": 5, "b": 5, "a": 5})
    assert names == ["a", "b", "c", "d"] and v == [True, True, True, True] and cum == [25.0, 50.0, 75.0, 100.0]


def test_pareto_blank_is_unclassified_and_weights_sum():
    values = pd.Series(["物流", None, " ", "质量", "物流"], dtype=object)
    f = pareto(values, pd.Series([10, 30, 30, 5, 10]))
    assert list(f["category"]) == ["未分类", "物流", "质量"] and list(f["count"]) == [60.0, 20.0, 5.0]


def test_unclassified_is_never_vital_and_the_few_are_chosen_among_the_classified():
    from pyaddin.core.pareto import as_json, unclassified_alarm

    values = pd.Series(["a"] * 40 + [None] * 30 + ["b"] * 20 + ["c"] * 10, dtype=object)
    f = pareto(values)
    assert list(f["category"]) == ["a", "未分类", "b", "c"]
    assert list(f["pct"]) == [40.0, 30.0, 20.0, 10.0] and list(f["cum_pct"]) == [40.0, 70.0, 90.0, 100.0]  # over all
    # of the 70 classified tickets a holds 57 %, a + b 86 %: b crosses 80 and is in; 未分类 never is
    assert list(f["vital_few"]) == [True, False, True, False]
    assert unclassified_alarm(f) and as_json(f, "category")["data_problem"] is True
    assert as_json(f, "category")["unclassified_pct"] == 30.0
    small = pareto(pd.Series(["a"] * 90 + [None] * 10, dtype=object))
    assert not unclassified_alarm(small) and list(small["vital_few"]) == [True, False]
    assert list(pareto(pd.Series([None, None], dtype=object))["vital_few"]) == [False]  # nothing classified


def test_the_pareto_says_the_data_problem_first(tmp_path, runner, cli):
    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    text = "工单编号,创建时间,责任部门,问题类别\n" + "".join(
        f"T{i},2026-09-01 09:00,客服中心,{'物流延迟' if i < 6 else ''}\n" for i in range(10))
    write_csv(tmp_path / "t.csv", text)
    assert runner.invoke(cli, ["import", str(book), str(tmp_path / "t.csv"), "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["pareto", str(book), "--period", "2026-09"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("数据问题:40.0%的工单没有") and r.output.index("数据问题") < r.output.index("关键少数1类")


def test_the_responsibility_table_decides_a_problems_owner(tmp_path, runner, cli):
    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    rows = [("物流延迟", "客服中心")] * 6 + [("物流延迟", "物流部")] * 2 + [("账单疑问", "客服中心")] * 1 + \
        [("账单疑问", "财务部")] * 3
    text = "工单编号,创建时间,首次响应时间,解决时间,联系次数,责任部门,问题类别\n" + "".join(
        f"T{i},2026-09-01 09:00,2026-09-01 09:{30 if i % 2 else '05'},2026-09-01 10:00,1,{d},{c}\n"
        for i, (c, d) in enumerate(rows))
    write_csv(tmp_path / "t.csv", text)
    write_csv(tmp_path / "r.csv", "问题类别,责任部门\n物流延迟,物流部\n")
    assert runner.invoke(cli, ["import", str(book), str(tmp_path / "t.csv"), "--into", "tickets"]).exit_code == 0
    assert runner.invoke(cli, ["import", str(book), str(tmp_path / "r.csv"), "--into", "responsibility"]).exit_code == 0
    r = runner.invoke(cli, ["problems", str(book), "--period", "2026-09"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        p = b.read(PROBLEMS).data.set_index("category")
    # named on 责任分工: the logistics department owns it although the call centre has most of its tickets
    assert p.at["物流延迟", "owner_department"] == "物流部" and "最多的部门" not in p.at["物流延迟", "description"]
    # not named: the department with most of its tickets, and the problem says so
    assert p.at["账单疑问", "owner_department"] == "财务部"
    assert "责任分工未列出此类别,按该类工单最多的部门定为财务部" in p.at["账单疑问", "description"]
    # the statement: what, where, how much, against which target (half of the replies came after 10 minutes)
    assert p.at["物流延迟", "description"].startswith("物流延迟类工单占本月66.7%(8件),其首次响应SLA达成率为50.0%,目标90%")


@pytest.fixture
def demo(tmp_path, runner, cli):
    """The sample data imported, the Pareto's vital few in the problem list, the team's root causes and plan."""
    book = tmp_path / "demo.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        assert runner.invoke(cli, ["import", str(book), str(SAMPLES / name), "--into", into]).exit_code == 0
    r = runner.invoke(cli, ["problems", str(book), "--quarter", "2026Q3"])
    assert r.exit_code == 0, r.output
    for name, into in (("rootcause.csv", "rootcause"), ("plan.csv", "plan")):
        r = runner.invoke(cli, ["import", str(book), str(SAMPLES / name), "--into", into])
        assert r.exit_code == 0, r.output
    return book


def test_pareto_command_json_and_chart(demo, runner, cli):
    r = runner.invoke(cli, ["pareto", str(demo), "--quarter", "2026Q3", "--json"])
    assert r.exit_code == 0
    d = json.loads(r.output)
    assert set(d) == {"by", "total", "rows", "unclassified_pct", "data_problem"} and d["by"] == "category"
    assert d["total"] == 4000 and d["data_problem"] is False and 0 < d["unclassified_pct"] < 5
    assert set(d["rows"][0]) == {"name", "count", "pct", "cum_pct", "vital"}
    counts = [row["count"] for row in d["rows"]]
    assert counts == sorted(counts, reverse=True) and d["rows"][0]["name"] == "物流延迟"
    classified = [row for row in d["rows"] if row["name"] != "未分类"]
    total = sum(row["count"] for row in classified)
    cum = [sum(x["count"] for x in classified[:i + 1]) * 100 / total for i in range(len(classified))]
    first_over = next(i for i, c in enumerate(cum) if c >= 80)
    assert [row["vital"] for row in classified] == [i <= first_over for i in range(len(classified))]
    assert not any(row["vital"] for row in d["rows"] if row["name"] == "未分类")
    wb = openpyxl.load_workbook(demo, keep_vba=True)
    ws = wb["帕累托分析"]
    chart = ws._charts[0]
    assert len(chart.series) == 2 and len(chart._charts) == 2  # bars (vital few, others) + lines (cumulative, 80 %)
    line = chart._charts[1]
    assert line.y_axis.axId == 200 and line.y_axis.scaling.max == 100
    refs = [s.val.numRef.f for c in chart._charts for s in c.series]
    rows = len(d["rows"])
    assert all(ref.endswith(f"${4 + rows}") for ref in refs), refs  # stretched to the rows written


def test_problems_are_added_once_with_stable_ids(demo, runner, cli):
    with FileBook(demo) as b:
        p = b.read(PROBLEMS).data
    ids = [f"P{i:03d}" for i in range(1, 9)]  # the vital few, then the quarter's three major complaints (专项改进)
    assert list(p["problem_id"]) == ids and p["category"][0] == "物流延迟"
    assert list(p["source"]) == ["pareto"] * 5 + ["complaint"] * 3
    assert (p["priority"] == p["frequency"] * p["impact"]).all()
    assert p["metric"].notna().all() and p["owner_department"].notna().all()
    r = runner.invoke(cli, ["problems", str(demo), "--quarter", "2026Q3"])
    assert r.exit_code == 0 and "未新增" in r.output
    # the user re-sorts the list and closes P001: the category may come back, under a new id
    wb = openpyxl.load_workbook(demo, keep_vba=True)
    ws = wb["问题清单"]
    status = [c.value for c in ws[1]].index("状态") + 1
    ws.cell(2, status).value = "已关闭"
    wb.save(demo)
    r = runner.invoke(cli, ["problems", str(demo), "--quarter", "2026Q3"])
    assert r.exit_code == 0 and "P009" in r.output
    with FileBook(demo) as b:
        p = b.read(PROBLEMS).data
    assert list(p["problem_id"]) == ids + ["P009"]
    assert p.set_index("problem_id").at["P009", "category"] == "物流延迟"


def test_the_root_cause_gate(demo, runner, cli):
    wb = openpyxl.load_workbook(demo, keep_vba=True)
    ws = wb["问题清单"]
    status = [c.value for c in ws[1]].index("状态") + 1
    ws.cell(3, status).value = "改进中"  # P002: its only cause is not verified
    ws.cell(2, status).value = "改进中"  # P001: verified causes
    wb.save(demo)
    r = runner.invoke(cli, ["plan", str(demo), "--as-of", "2026-10-01"])
    assert r.exit_code == 1 and "问题P002" in r.output and "没有已验证的根因" in r.output and "问题P001" not in r.output


def test_overdue_starts_the_day_after_the_deadline():
    plan = pd.DataFrame({"deadline": pd.to_datetime(["2026-09-30", "2026-09-30", "2026-09-30"]),
                         "status": ["in_progress", "done", "cancelled"]})
    assert list(pdca.overdue(plan, pd.Timestamp("2026-09-30 23:59"))) == [False, False, False]
    assert list(pdca.overdue(plan, pd.Timestamp("2026-10-01 00:00"))) == [True, False, False]
    assert list(pdca.days_overdue(plan, pd.Timestamp("2026-10-03"))) == [3, 0, 0]


def test_plan_check_json(demo, runner, cli):
    r = runner.invoke(cli, ["plan", str(demo), "--as-of", "2026-10-01", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(d) == {"as_of", "actions", "by_department", "problems"}
    a = {x["action_id"]: x for x in d["actions"]}
    assert set(a["A001"]) == {"action_id", "problem_id", "department", "owner", "deadline", "status", "progress_pct",
                              "overdue", "days_overdue", "smart_missing"}
    assert a["A002"]["overdue"] and a["A002"]["days_overdue"] == 26 and a["A003"]["overdue"] is False
    assert a["A004"]["smart_missing"] == ["owner", "deadline", "target_metric", "goal"] and a["A001"]["smart_missing"] == []
    deps = {x["department"]: x for x in d["by_department"]}
    assert deps["技术部"] == {"department": "技术部", "actions": 1, "done": 0, "overdue": 1, "done_on_time_pct": 0.0}
    assert deps["客服中心"]["done_on_time_pct"] == 100.0 and deps["质检部"]["done_on_time_pct"] is None
    stages = {x["problem_id"]: x["pdca_stage"] for x in d["problems"]}
    assert stages["P001"] == "do" and stages["P002"] == "plan" and stages["P003"] == "plan"
    with FileBook(demo) as b:  # the overdue action is marked in the plan (and the sheet colours it)
        plan = b.read(PLAN).data.set_index("action_id")
        problems = b.read(PROBLEMS).data.set_index("problem_id")
        by_dept = b.read(PLAN_BY_DEPARTMENT).data.set_index("department")
    assert plan.at["A002", "status"] == "overdue"
    # the sheet itself says what the message says: days overdue, SMART gaps, PDCA stage, the departments' progress
    assert plan.at["A002", "days_overdue"] == 26 and pd.isna(plan.at["A001", "days_overdue"])
    assert plan.at["A004", "smart_missing"] == "负责人、完成期限、目标指标、目标值" and pd.isna(plan.at["A001", "smart_missing"])
    assert problems.at["P001", "pdca_stage"] == "执行(D)" and problems.at["P002", "pdca_stage"] == "计划(P)"
    assert by_dept.at["技术部", "overdue"] == 1 and by_dept.at["客服中心", "done_on_time_pct"] == 100.0


def test_two_proportion_test_on_a_hand_computed_case():
    # 50/100 before, 70/100 after: pooled p = 0.6, se = sqrt(0.6·0.4·(2/100)) = 0.069282, z = 2.886751
    p = pdca.two_proportions(50, 100, 70, 100)
    assert p == pytest.approx(math.erfc(2.886751 / math.sqrt(2)), rel=1e-5) and p == pytest.approx(0.003892, abs=1e-6)
    assert pdca.two_proportions(5, 10, 5, 10) == pytest.approx(1.0)
    assert pdca.two_proportions(0, 0, 5, 10) is None


def test_the_planted_improvement_is_verified_and_its_windows_are_equal(demo, runner, cli):
    r = runner.invoke(cli, ["verify", str(demo), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [x["action_id"] for x in d["actions"]] == ["A001"]
    a = d["actions"][0]
    assert set(a) == {"action_id", "metric", "window_days", "before", "after", "change", "goal", "goal_met", "p_value",
                      "significant", "windows", "pending_until", "verified", "result"}
    assert [(w["start"], w["end"]) for w in a["windows"]] == [("2026-07-04", "2026-07-31"), ("2026-08-15", "2026-09-11")]
    n0, n1 = (w["n"] for w in a["windows"])
    assert a["result"] == (f"改进后首次响应SLA达成率由{a['before']:.1f}%升至{a['after']:.1f}%,达到目标85%;变化显著,"
                           f"非随机波动(p<0.001)(改进前2026-07-04至2026-07-31,{n0}件;改进后2026-08-15至2026-09-11,"
                           f"{n1}件)")
    assert 100 < n0 and 100 < n1
    assert a["metric"] == "first_response_sla_pct" and a["window_days"] == 28
    assert a["before"] < 70 < 85 <= a["after"] and a["goal_met"] and a["significant"] and a["p_value"] < 1e-6
    assert a["change"] == pytest.approx(a["after"] - a["before"])
    with FileBook(demo) as b:
        plan = b.read(PLAN).data.set_index("action_id")
    assert bool(plan.at["A001", "effect_verified"]) and plan.at["A001", "effect_after"] == pytest.approx(a["after"])
    assert plan.at["A001", "effect_p"] == "p<0.001" and plan.at["A001", "effect_result"] == a["result"]
    assert pdca.windows("2026-08-01", "2026-08-14", 28) == (
        (pd.Timestamp("2026-07-04"), pd.Timestamp("2026-08-01")), (pd.Timestamp("2026-08-15"), pd.Timestamp("2026-09-12")))


def test_a_problem_closes_when_all_its_actions_are_verified(tmp_path, runner, cli, demo):
    problems = "问题编号,问题描述,来源,状态\nP900,物流类响应慢(手工登记),手工,改进中\nP901,夜间积压,手工,改进中\n"
    assert runner.invoke(cli, ["import", str(demo), str(write_csv(tmp_path / "q.csv", problems)),
                               "--into", "problems"]).exit_code == 0
    rows = "措施编号,问题编号,改进措施,负责人,开始日期,完成期限,目标指标,目标值,状态,实际完成日期\n" \
           "A101,P900,设物流专岗,赵,2026-08-01,2026-08-14,首次响应SLA达成率%,80,已完成,2026-08-14\n" \
           "A102,P901,夜班加人,钱,2026-08-01,2026-08-14,首次响应SLA达成率%,99,已完成,2026-08-14\n"
    r = runner.invoke(cli, ["import", str(demo), str(write_csv(tmp_path / "p.csv", rows)), "--into", "plan"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["verify", str(demo), "--json"])
    assert r.exit_code == 0
    got = {a["action_id"]: a for a in json.loads(r.output)["actions"]}
    assert got["A101"]["goal_met"] and got["A101"]["significant"] and not got["A102"]["goal_met"]
    with FileBook(demo) as b:
        status = b.read(PROBLEMS).data.set_index("problem_id")["status"]
    assert status["P900"] == "closed" and status["P901"] == "verifying" and status["P001"] != "closed"
    r = runner.invoke(cli, ["import", str(demo), str(write_csv(tmp_path / "bad.csv", rows.replace("A101,P900", "A103,P999"))),
                            "--into", "plan"])
    assert r.exit_code == 1 and "P999" in r.output and "找不到此编号" in r.output


def test_an_action_whose_after_window_has_not_passed_waits(tmp_path, runner, cli, demo):
    rows = "措施编号,问题编号,改进措施,负责人,开始日期,完成期限,目标指标,目标值,状态,实际完成日期\n" \
           "A201,P001,夜班加人,钱,2026-09-01,2026-09-20,首次响应SLA达成率%,90,已完成,2026-09-20\n"
    assert runner.invoke(cli, ["import", str(demo), str(write_csv(tmp_path / "p.csv", rows)), "--into", "plan"]).exit_code == 0
    r = runner.invoke(cli, ["verify", str(demo), "--action", "A201", "--json"])
    assert r.exit_code == 0, r.output
    a = json.loads(r.output)["actions"][0]
    # the data end on 30 September; the four weeks after 20 September end on 18 October
    assert a["pending_until"] == "2026-10-18" and a["before"] is None and a["verified"] is False
    with FileBook(demo) as b:
        plan = b.read(PLAN).data.set_index("action_id")
    assert plan.at["A201", "effect_result"] == "待验证:改进后窗口至2026-10-18结束,届时可验证"
    assert pd.isna(plan.at["A201", "effect_verified"])


def test_the_fishbone_is_a_png_with_real_glyphs_placed_beside_the_table(demo, runner, cli, tmp_path):
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font
    from PIL import Image

    from pyaddin.charts.fishbone import cjk_font

    out = tmp_path / "fb.png"
    r = runner.invoke(cli, ["fishbone", str(demo), "--problem", "P001", "-o", str(out)])
    assert r.exit_code == 0, r.output
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(png))
    assert img.size[0] > 1000 and img.convert("L").getextrema()[0] < 100  # drawn, with ink
    font = cjk_font()
    assert font is not None
    path = font_manager.findfont(font)
    face = FT2Font(path)
    assert all(face.get_char_index(ord(ch)) != 0 for ch in "人机料法环测物流")  # glyphs, not tofu boxes
    wb = openpyxl.load_workbook(demo, keep_vba=True)
    assert len(wb["根因分析"]._images) == 1
    r = runner.invoke(cli, ["fishbone", str(demo), "--problem", "P002"])
    assert r.exit_code == 0
    wb = openpyxl.load_workbook(demo, keep_vba=True)
    assert len(wb["根因分析"]._images) == 1  # replaced, not added


def test_labels_render_as_distinct_glyphs(tmp_path):
    """Tofu boxes all look alike: two different characters drawn with the fishbone's font must differ."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from pyaddin.charts.fishbone import cjk_font

    def ink(ch):
        with plt.rc_context({"font.family": [cjk_font()]}):
            fig = plt.figure(figsize=(1, 1), dpi=60)
            fig.text(0.1, 0.2, ch, fontsize=40)
            fig.canvas.draw()
            a = np.asarray(fig.canvas.buffer_rgba())[..., 0].copy()
            plt.close(fig)
        return a
    a, b = ink("人"), ink("机")
    assert (a < 128).sum() > 20 and (b < 128).sum() > 20 and (a != b).any()


def test_the_ribbon_draws_the_fishbone_through_excel(demo, monkeypatch):
    import xlwings as xw

    from pyaddin.excel import run_action
    from xlstandin import Book

    xl = Book.from_file(demo)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: xl))
    assert run_action("fishbone") == 0
    pics = xl.sheet("根因分析").pictures.items
    assert list(pics) == ["QB_fishbone"] and pics["QB_fishbone"][0][:4] == b"\x89PNG"
    assert run_action("fishbone") == 0 and len(xl.sheet("根因分析").pictures) == 1


def test_the_root_cause_is_the_last_answer_of_the_5_why_chain():
    chain = ("为什么夜间响应慢?夜间客服只有1人", "为什么只有1人?排班表未考虑夜间物流咨询高峰",
             "为什么未考虑?历史数据未统计夜间咨询量分布", "为什么未统计?缺乏分时段数据监控机制", None)
    assert pdca.root_cause(chain) == "缺乏分时段数据监控机制"
    assert pdca.root_cause(("Why slow? One agent at night", "Why only one?", None, None, None)) == "One agent at night"
    assert pdca.root_cause((None, " ", None, None, None)) is None
    assert pdca.root_cause(("排班不足", None, None, None, None)) == "排班不足"  # an answer without its question


def test_verify_over_tickets_outside_the_workbook_gives_the_books_own_result(tmp_path, runner, cli, demo, monkeypatch):
    """The group's history in Parquet (source.tickets, source.surveys on 监控标准): the effect is computed where the
    rows lie — the windows, the figures and the test as on the workbook's own tables, no row read into Python."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pyaddin import schema
    from pyaddin.engine.rows import Rows

    outside = tmp_path / "outside.xlsm"
    shutil.copy(demo, outside)
    with FileBook(demo) as b:
        for key in ("tickets", "surveys"):
            pq.write_table(pa.Table.from_pandas(b.read(schema.table(key)).data, preserve_index=False),
                           tmp_path / f"{key}.parquet")
    assert runner.invoke(cli, ["config", str(outside), f"source.tickets={tmp_path / 'tickets.parquet'}",
                               f"source.surveys={tmp_path / 'surveys.parquet'}"]).exit_code == 0
    own = runner.invoke(cli, ["verify", str(demo), "--json"])
    assert own.exit_code == 0, own.output
    monkeypatch.setattr(Rows, "to_frame", lambda *a, **k: pytest.fail("a row was read into Python"))
    got = runner.invoke(cli, ["verify", str(outside), "--json"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output) == json.loads(own.output) and json.loads(own.output)["actions"][0]["verified"]
    once = tmp_path / "once.xlsm"  # the same for one run with --source, the book's settings left as they are
    shutil.copy(demo, once)
    got = runner.invoke(cli, ["verify", str(once), "--json", "--source", f"tickets={tmp_path / 'tickets.parquet'}",
                              "--source", f"surveys={tmp_path / 'surveys.parquet'}"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output) == json.loads(own.output)
    r = runner.invoke(cli, ["verify", str(once), "--source", f"tickets={tmp_path / 'nowhere.parquet'}"])
    assert r.exit_code == 2 and "nowhere.parquet" in r.output  # the run read the source it was given
