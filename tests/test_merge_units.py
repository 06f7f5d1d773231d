"""``departments/merge.py`` on a small master held in memory and one department's workbook as ``outgoing.write``
writes it (a real .xlsx of a few kB, edited with openpyxl as a department would, read back by ``read_return``).
Fast, no LibreOffice and no master workbook: these are the tests mutation testing judges merge.py by, so each
asserts the exact verdict, row, reason and value."""
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from pyaddin import schema, validate, values
from pyaddin.core import dispatch
from pyaddin.departments import merge, outgoing
from pyaddin.departments.returned import Returned

SENT_AT = dt.datetime(2026, 10, 1, 9, 0)
AT = dt.datetime(2026, 10, 8, 10, 0)
D = "客服"
T = pd.Timestamp


def frame(t, columns):
    raw = pd.DataFrame(columns, dtype=object)
    p = validate.parse_table(t, raw, pd.Series(range(2, len(raw) + 2), index=raw.index))
    assert not p.issues, [i.both() for i in p.issues]
    return p.data[list(t.keys)]


def worklists():
    """P1 and P2 are 客服's (P3 another's); P1 has two causes; A1 runs to 10-30, A2 was overdue when sent, A3 runs
    to 11-30.
    Parsed once, copied for each test (the merge changes the frames in place)."""
    if not _WORKLISTS:
        _WORKLISTS.update(_parsed_worklists())
    return {k: v.copy(deep=True) for k, v in _WORKLISTS.items()}


_WORKLISTS: dict = {}
_FILLED: dict = {}


def _parsed_worklists():
    problems = frame(schema.PROBLEMS, {"问题编号": ["P1", "P2", "P3"], "问题描述": ["夜间响应慢", "质检不一", "别人的"],
                                       "责任部门": [D, D, "技术部"], "状态": ["分析中", "待分析", "待分析"]})
    causes = frame(schema.ROOTCAUSE, {"问题编号": ["P1", "P1", "P3"], "6M维度": ["人", "法", "机"],
                                      "原因": ["培训少", "排班松", "设备旧"]})
    plan = frame(schema.PLAN, {"措施编号": ["A1", "A2", "A3"], "问题编号": ["P1", "P2", "P1"],
                               "改进措施": ["培训", "排班", "回访"], "责任部门": [D, D, D],
                               "开始日期": ["2026-09-01", "2026-09-01", "2026-09-15"],
                               "完成期限": ["2026-10-30", "2026-09-20", "2026-11-30"], "状态": ["计划中", "进行中", "计划中"],
                               "进度%": [None, "40", None], "说明": [None, None, "已排期"]})
    feedback = frame(schema.FEEDBACK, {"反馈编号": ["F001"], "日期": ["2026-09-02"], "反馈人": ["老李"], "部门": [D],
                                       "类型": ["流程问题"], "内容": ["旧的"], "处理状态": ["待处理"]})
    return {"problems": problems, "rootcause": causes, "plan": plan, "feedback": feedback}


def send(tmp_path, frames, department=D, batch="B1", master_id="M1", name=None):
    """The department's workbook as distribute writes it; returns its path and its row of 下发回收."""
    share = dispatch.select(frames["problems"], frames["rootcause"], frames["plan"], department)
    name = name or f"{batch}_{department}.xlsx"
    s = outgoing.Sending(batch, master_id, department, name, SENT_AT, dt.date(2026, 10, 15), "小王", "zh")
    path = tmp_path / "sent" / name
    path.parent.mkdir(exist_ok=True)
    digest = outgoing.write(path, s, share, pd.DataFrame(columns=["name", "value", "target", "status"]))
    return path, {"batch": batch, "master_id": master_id, "department": department, "file": name,
                  "sent_at": SENT_AT, "digest": digest}


def master(frames, *sent, log=None, batch="B1", **kw):
    calls = []

    def read_log():
        calls.append(1)
        return pd.DataFrame() if log is None else log
    m = merge.Master(frames, batch, "M1", pd.DataFrame(list(sent)), read_log, "zh", **kw)
    m.log_calls = calls
    return m


def fill(src, edits, name=None, by="部门同事"):
    """A department at work: ``edits`` maps (sheet, item in column A or row number, header) to the value typed.
    The same edits of the same file give the same file (saved once: openpyxl is the slow part of these tests)."""
    key = (src, tuple(edits.items()), name, by)
    if key in _FILLED:
        return _FILLED[key]
    wb = openpyxl.load_workbook(src)
    for (sheet, row, header), value in edits.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        r = row if isinstance(row, int) else next(r for r in range(2, ws.max_row + 1)
                                                  if ws.cell(row=r, column=1).value == row)
        ws.cell(row=r, column=headers.index(header) + 1).value = value  # None clears the cell
    wb.properties.lastModifiedBy = by
    dst = src.parent.parent / f"back{len(_FILLED)}" / (name or src.name)
    dst.parent.mkdir()
    wb.save(dst)
    _FILLED[key] = dst
    return dst


@pytest.fixture(scope="module")
def sent_file(tmp_path_factory):
    return send(tmp_path_factory.mktemp("merge"), worklists())


@pytest.fixture
def world(sent_file):
    return worklists(), *sent_file


def judged(world, edits, name=None, **kw):
    frames, path, row = world
    m = master(frames, row, **kw)
    return merge.judge(fill(path, edits, name), m, AT, "质量部小王"), m


# --------------------------------------------------------------------------- what lands, and where it is logged

def test_the_departments_edits_land_in_the_editable_fields_and_are_logged_one_by_one(world):
    rep, m = judged(world, {("问题清单", "P1", "状态"): "改进中", ("根因分析", 2, "验证证据"): "看录音",
                            ("根因分析", 3, "已验证"): "是",
                            ("根因分析", 3, "验证证据"): "=抽查10单", ("改进计划", "A1", "进度%"): 50,
                            ("改进计划", "A1", "状态"): "进行中"})
    assert rep.status == "accepted" and rep.department == D and rep.reason is None
    assert rep.rejected == [] and rep.conflicts == [] and rep.notes == [] and rep.added == []
    assert rep.applied == [
        {"table": "problems", "id": "P1", "field": "status", "old": "analysing", "new": "improving"},
        {"table": "rootcause", "id": "P1#1", "field": "evidence", "old": None, "new": "看录音"},
        {"table": "rootcause", "id": "P1#2", "field": "verified", "old": None, "new": True},
        {"table": "rootcause", "id": "P1#2", "field": "evidence", "old": None, "new": "=抽查10单"},
        {"table": "plan", "id": "A1", "field": "progress_pct", "old": None, "new": 50.0},
        {"table": "plan", "id": "A1", "field": "status", "old": "planned", "new": "in_progress"}]
    assert [(x["target"], x["row"], x["field"], x["old"], x["new"], x["detail"]) for x in rep.logged] == [
        ("问题清单", "P1", "状态", "分析中", "改进中", "B1: 分析中 → 改进中"),
        ("根因分析", "P1#1", "验证证据", "", "看录音", "B1: — → 看录音"),  # the formula is another row's
        ("根因分析", "P1#2", "已验证", "", "是", "B1: — → 是"),
        ("根因分析", "P1#2", "验证证据", "", "=抽查10单", "B1: — → =抽查10单 (公式按文字保存)"),  # openpyxl wrote a formula
        ("改进计划", "A1", "进度%", "", "50", "B1: — → 50"),
        ("改进计划", "A1", "状态", "计划中", "进行中", "B1: 计划中 → 进行中")]
    assert {(x["at"], x["user"], x["action"], x["result"], x["department"], x["file"]) for x in rep.logged} == {
        (AT, "质量部小王", "collect", "ok", D, "B1_客服.xlsx")}
    p, c, a = (m.frames[k] for k in ("problems", "rootcause", "plan"))
    assert p["status"].tolist() == ["improving", "open", "open"]
    assert c["verified"].isna().tolist() == [True, False, True] and c.at[1, "verified"] is True and c.at[1, "evidence"] == "=抽查10单"
    assert a.at[0, "progress_pct"] == 50.0 and a["status"].tolist() == ["in_progress", "in_progress", "planned"]
    assert m.changed == {"problems", "rootcause", "plan"} and m.log_calls == []  # no second return: log not read
    assert rep.as_json() == {"file": "B1_客服.xlsx", "department": D, "status": "accepted", "reason": None,
                             "applied": rep.applied, "rejected": [], "conflicts": [], "notes": [], "added": []}


def test_a_value_the_master_already_holds_or_as_sent_changes_nothing(world):
    frames = world[0]
    frames["plan"].at[0, "status"] = "in_progress"  # the quality team moved A1 on meanwhile
    rep, m = judged(world, {("改进计划", "A1", "状态"): "进行中", ("改进计划", "A2", "状态"): "进行中",
                            ("问题清单", "P2", "问题类别", ): None, ("改进计划", "A1", "说明"): "已开始"})
    assert rep.applied == [{"table": "plan", "id": "A1", "field": "note", "old": None, "new": "已开始"}]
    assert rep.conflicts == [] and m.changed == {"plan"}


def test_a_field_the_master_changed_since_sending_is_a_conflict_not_an_overwrite(world):
    frames = world[0]
    frames["problems"].at[0, "status"] = "verifying"
    rep, m = judged(world, {("问题清单", "P1", "状态"): "改进中"})
    assert rep.status == "partly" and rep.applied == []
    assert rep.conflicts == [{"table": "problems", "id": "P1", "field": "status", "master": "verifying",
                              "returned": "improving"}]
    assert m.frames["problems"].at[0, "status"] == "verifying" and rep.held == [] and m.changed == set()


# --------------------------------------------------------------------------- rows sent back whole

def test_rows_that_break_a_rule_are_sent_back_whole_with_the_sheet_and_row(world):
    rep, m = judged(world, {("问题清单", "P1", "问题描述"): "改了描述", ("问题清单", "P1", "状态"): "改进中",
                            ("问题清单", "P2", "状态"): "已关闭", ("改进计划", "A1", "进度%"): "很多",
                            ("改进计划", "A2", "状态"): "计划中", ("改进计划", "A3", "说明"): "已约"})
    assert rep.status == "partly" and m.changed == {"plan"}  # the row after a rule's refusal is still judged
    assert rep.applied == [{"table": "plan", "id": "A3", "field": "note", "old": "已排期", "new": "已约"}]
    assert rep.rejected == [
        {"table": "problems", "id": "P1", "reason": "“问题清单”第2行:锁定内容被改动(问题描述),整行已退回"},
        {"table": "problems", "id": "P2", "reason": "“问题清单”第3行:部门不能关闭问题(关闭由质量监控部在效果验证后决定),整行已退回"},
        {"table": "plan", "id": "A1", "reason": "“改进计划”第2行:B1_客服.xlsx · 改进计划: 第2行,列“进度%”,值“很多”:不是有效的数字,整行已退回"},
        {"table": "plan", "id": "A2", "reason": "“改进计划”第3行:措施状态只能向前推进(计划中→进行中→已完成),不能退回,整行已退回"}]


def test_a_row_repeated_added_or_gone_from_the_master_is_sent_back(world):
    frames, path, row = world
    frames["plan"] = frames["plan"].iloc[[0, 2]]  # A2 deleted in the master since
    rep, _ = judged(world, {("改进计划", 5, "措施编号"): "A1", ("改进计划", 5, "问题编号"): "P1",
                            ("改进计划", 5, "改进措施"): "培训", ("改进计划", 6, "措施编号"): "A9",
                            ("改进计划", 6, "问题编号"): "P1", ("改进计划", 6, "改进措施"): "新的",
                            ("改进计划", "A2", "说明"): "好了"})
    assert rep.rejected == [
        {"table": "plan", "id": "A2", "reason": "“改进计划”第3行:总表中已没有这一项,已退回"},
        {"table": "plan", "id": "A1", "reason": "“改进计划”第5行:与上面某行编号重复,已退回"},
        {"table": "plan", "id": "A9", "reason": "“改进计划”第6行:下发时没有这一行(新增行或编号被改),已退回"}]


def test_a_locked_change_to_a_row_gone_from_the_master_names_no_field(world):
    frames = world[0]
    frames["problems"] = frames["problems"].iloc[[1, 2]]
    rep, _ = judged(world, {("问题清单", "P1", "问题描述"): "改了"})
    assert rep.rejected[0]["reason"] == "“问题清单”第2行:锁定内容被改动(—),整行已退回"


def test_done_means_done_at_100_and_a_late_action_reported_on_time_is_held_until_confirmed(world):
    edits = {("改进计划", "A1", "状态"): "已完成", ("改进计划", "A1", "实际完成日期"): dt.datetime(2026, 10, 5),
             ("改进计划", "A2", "状态"): "已完成", ("改进计划", "A2", "实际完成日期"): dt.datetime(2026, 9, 19),
             ("改进计划", "A2", "完成证据"): "照片", ("改进计划", "A3", "状态"): "已完成",
             ("改进计划", "A3", "实际完成日期"): dt.datetime(2026, 10, 6)}
    rep, m = judged(world, edits)
    assert rep.notes == ["“改进计划”第2行:措施A1已完成,进度已按100%记录", "“改进计划”第4行:措施A3已完成,进度已按100%记录"]
    assert [(a["id"], a["field"], a["new"]) for a in rep.applied] == [
        ("A1", "progress_pct", 100.0), ("A1", "status", "done"), ("A1", "completed_on", "2026-10-05"),
        ("A3", "progress_pct", 100.0), ("A3", "status", "done"), ("A3", "completed_on", "2026-10-06")]
    assert rep.held == rep.conflicts == [{
        "table": "plan", "id": "A2", "field": "status", "held": True, "master": "in_progress", "returned": "done",
        "reason": "措施A2下发时已逾期11天,交回为“已完成”且完成日期2026-09-19不晚于期限2026-09-20(补报需有证据)"}]
    assert m.frames["plan"].at[1, "status"] == "in_progress" and rep.status == "partly"
    rep, m = judged(world, edits, accept=frozenset({"A2"}))  # the quality team confirmed it
    assert rep.held == [] and ("A2", "status", "done") in [(a["id"], a["field"], a["new"]) for a in rep.applied]


def test_a_completion_after_the_day_of_collection_is_refused(world):
    rep, _ = judged(world, {("改进计划", "A1", "状态"): "已完成",
                            ("改进计划", "A1", "实际完成日期"): dt.datetime(2026, 10, 8)},
                    collected=dt.date(2026, 10, 7))
    assert rep.rejected == [{"table": "plan", "id": "A1",
                             "reason": "“改进计划”第2行:实际完成日期2026-10-08晚于回收当天2026-10-07,整行已退回"}]
    rep, _ = judged(world, {("改进计划", "A1", "状态"): "已完成",
                            ("改进计划", "A1", "实际完成日期"): dt.datetime(2026, 10, 8)})  # judged on AT's day
    assert rep.rejected == [] and len(rep.applied) == 3


# --------------------------------------------------------------------------- whole files refused

def test_the_file_as_sent_is_no_return_and_lists_every_row(world):
    frames, path, row = world
    rep = merge.judge(path, master(frames, row), AT, "u")
    assert (rep.status, rep.reason) == ("refused", "文件与下发时完全相同,尚未填写保存,未计为已交回。")
    assert rep.rejected == [{"table": t, "id": i, "reason": rep.reason} for t, i in
                            (("problems", "P1"), ("problems", "P2"), ("rootcause", "P1#1"), ("rootcause", "P1#2"),
                             ("plan", "A1"), ("plan", "A2"), ("plan", "A3"))]
    frames["plan"] = frames["plan"].iloc[[0, 2]]  # A2 deleted in the master since: the file as sent says so
    rep = merge.judge(path, master(frames, row), AT, "u")
    assert rep.status == "partly" and [(r["id"], r["reason"]) for r in rep.rejected] == [
        ("A2", "“改进计划”第3行:总表中已没有这一项,已退回")]
    saved = merge.judge(fill(path, {}), master(worklists(), row), AT, "u")  # saved by someone, nothing changed
    assert (saved.status, saved.rejected, saved.applied) == ("accepted", [], [])


@pytest.mark.parametrize("change, reason", [
    ({"master_id": "M2"}, "文件来自另一个总表工作簿,不是本工作簿下发的,已拒收。"),
    ({"batch": "B2"}, "文件属于批次 B1,不是正在回收的批次 B2,已拒收。请让部门填写最新一批下发的文件。"),
    ({"department": "技术部"}, "本批次没有向“客服”下发文件,已拒收。"),
    ({"digest": "0" * 64}, "文件中的隐藏校验信息被改动,无法确认内容未被篡改,已拒收。请让部门在原下发文件上填写后交回。")])
def test_a_file_of_another_master_batch_or_department_or_with_altered_fingerprints_is_refused(world, change, reason):
    frames, path, row = world
    m = master(frames, {**row, **{k: v for k, v in change.items() if k in ("department", "digest")}})
    m.master_id, m.batch = change.get("master_id", "M1"), change.get("batch", "B1")
    rep = merge.judge(fill(path, {("问题清单", "P1", "状态"): "改进中"}), m, AT, "u")
    assert (rep.status, rep.reason, rep.department) == ("refused", reason, D)
    assert [r["id"] for r in rep.rejected] == ["P1", "P2", "P1#1", "P1#2", "A1", "A2", "A3"] and rep.applied == []
    assert {r["reason"] for r in rep.rejected} == {reason} and m.frames["problems"].at[0, "status"] == "analysing"


def test_a_copy_renamed_after_another_departments_file_is_refused(world, tmp_path):
    frames, path, row = world
    other = {**row, "department": "技术部", "file": "B1_技术.xlsx", "digest": "x"}
    back = fill(path, {("问题清单", "P1", "状态"): "改进中"}, name="B1_技术 (2).xlsx")
    rep = merge.judge(back, master(frames, row, other), AT, "u")
    assert rep.reason == "文件名是“技术部”的下发文件名,但内容属于“客服”(疑似复制改名),已拒收。请确认各部门交回的是自己的文件。"
    assert len(rep.rejected) == 7 and {r["reason"] for r in rep.rejected} == {rep.reason}
    rep = merge.judge(fill(path, {("问题清单", "P1", "状态"): "改进中"}, name="B1_客服_改.xlsx"),
                      master(frames, row, other), AT, "u")
    assert rep.status == "accepted"


def test_renamed_from_takes_the_longest_sent_name_the_file_starts_with():
    sent = pd.DataFrame({"department": ["客服", "客服二部", "技术部"],
                         "file": ["B1_客服.xlsx", "B1_客服二部.xlsx", "B1_技术部.xlsx"]})
    assert merge._renamed_from("b1_客服二部 (1).XLSX", sent, "客服") == "客服二部"
    assert merge._renamed_from("B1_客服二部.xlsx", sent, "客服二部") is None
    assert merge._renamed_from("B1_客服.xlsx", sent, "客服") is None
    assert merge._renamed_from("B1_客服_返回.xlsx", sent, "技术部") == "客服"
    assert merge._renamed_from("返回.xlsx", sent, "技术部") is None


def test_a_missing_sheet_or_a_file_not_ours_is_refused(world):
    frames, path, row = world
    wb = openpyxl.load_workbook(path)
    wb["根因分析"].title = "根因"
    bad = path.parent / "sheet_renamed.xlsx"
    wb.save(bad)
    rep = merge.judge(bad, master(frames, row), AT, "u")
    assert rep.reason.startswith("文件中找不到工作表 根因分析(被改名或删除)") and len(rep.rejected) == 7
    wb["根因"].title = "根因分析"
    wb["_qb"]["B2"].value = None  # the batch taken out of the hidden sheet
    wb.save(bad)
    rep = merge.judge(bad, master(frames, row), AT, "u")
    assert rep.reason == "文件属于批次 ?,不是正在回收的批次 B1,已拒收。请让部门填写最新一批下发的文件。"
    del wb["_qb"]
    wb.save(bad)
    rep = merge.judge(bad, master(frames, row), AT, "u")
    assert rep.reason == "文件不是QualityBook下发的部门工作簿(缺少隐藏的校验信息),已拒收。" and rep.rejected == []
    rep = merge.judge(path.parent / "nothing.xlsx", master(frames, row), AT, "u")
    assert rep.reason.startswith("文件已损坏或不是Excel工作簿") and rep.department is None


def test_a_file_breaking_the_merge_is_refused_alone_and_the_master_put_back(world, caplog):
    frames, path, row = world
    m = master(frames, row)
    m.changed = {"before"}
    del m.frames["rootcause"]  # the problems merge first, then the root causes fail
    rep = merge.judge_alone(fill(path, {("问题清单", "P1", "状态"): "改进中"}), m, AT, "u")
    assert rep.status == "refused" and rep.reason.startswith("文件已损坏或不是Excel工作簿") and rep.file == path.name
    assert m.frames["problems"].at[0, "status"] == "analysing" and m.changed == {"before"}
    failed = [r.getMessage() for r in caplog.records if r.name == "qualitybook"]
    assert failed[-1].startswith(f"collect {path.name} failed\n") and "KeyError: 'rootcause'" in failed[-1]
    m = master(worklists(), row)
    ok = merge.judge_alone(fill(path, {("问题清单", "P1", "状态"): "改进中"}), m, AT, "u")
    assert ok.status == "accepted" and m.frames["problems"].at[0, "status"] == "improving"
    assert ok.logged[0]["user"] == "u"


# --------------------------------------------------------------------------- a second return of the batch

def test_a_corrected_return_replaces_what_the_first_return_put_there_but_not_what_others_did(world):
    frames = world[0]
    frames["problems"].at[0, "status"] = "improving"  # put there by the first return of B1
    log = pd.DataFrame({"action": ["collect", "collect", "collect"], "department": [D, D, "技术部"],
                        "row": ["P1", "P1", "P1"], "field": ["状态", "状态", "状态"],
                        "detail": ["B1: 分析中 → 验证中", "B1: 验证中 → 改进中", "B1: x"],
                        "new": ["验证中", "改进中", "改进中"]})
    rep, m = judged(world, {("问题清单", "P1", "状态"): "验证中"}, log=log)
    assert rep.applied == [{"table": "problems", "id": "P1", "field": "status", "old": "improving",
                            "new": "verifying"}] and m.log_calls == [1]
    frames["problems"].at[0, "status"] = "improving"
    rep, m = judged(world, {("问题清单", "P1", "状态"): "验证中"}, log=log.assign(department="技术部"))
    assert rep.applied == [] and rep.conflicts == [{"table": "problems", "id": "P1", "field": "status",
                                                    "master": "improving", "returned": "verifying"}]
    m = master(worklists(), log=log)
    assert merge._superseded(m, D, "P1", "状态", "改进中")
    for changed in ({"detail": ["B0: x"] * 3}, {"department": ["技术部"] * 3}, {"field": ["描述"] * 3},
                    {"row": ["P2"] * 3}, {"action": ["edit"] * 3}, {"new": ["验证中"] * 3}):
        assert not merge._superseded(master(worklists(), log=log.assign(**changed)), D, "P1", "状态", "改进中"), changed


def test_superseded_needs_a_log_with_departments():
    m = master(worklists(), log=pd.DataFrame({"action": ["collect"]}))
    assert not merge._superseded(m, D, "P1", "状态", "改进中")
    m = master(worklists())
    assert not merge._superseded(m, D, "P1", "状态", "改进中") and m.log_calls == [1]
    assert not merge._superseded(m, D, "P1", "状态", "改进中") and m.log_calls == [1]  # read once
    log = pd.DataFrame({"action": ["collect"], "department": [D], "row": ["P1"], "field": ["状态"],
                        "detail": [None], "new": ["改进中"]})
    assert not merge._superseded(master(worklists(), log=log), D, "P1", "状态", "改进中")  # no batch said
    assert merge._superseded(master(worklists(), log=log.assign(detail="B1: ")), D, "P1", "状态", "改进中")


# --------------------------------------------------------------------------- 一线反馈

def test_feedback_entries_are_appended_numbered_once_and_bad_ones_sent_back(world):
    entries = {("一线反馈", 2, "日期"): dt.datetime(2026, 10, 3), ("一线反馈", 2, "反馈人"): "小张",
               ("一线反馈", 2, "类型"): "改进建议", ("一线反馈", 2, "内容"): "加夜班",
               ("一线反馈", 3, "日期"): dt.datetime(2026, 10, 4), ("一线反馈", 3, "反馈人"): "小赵",
               ("一线反馈", 3, "类型"): "吐槽", ("一线反馈", 3, "内容"): "太忙",
               ("一线反馈", 4, "日期"): dt.datetime(2026, 10, 5), ("一线反馈", 4, "反馈人"): "小张",
               ("一线反馈", 4, "类型"): "亮点", ("一线反馈", 4, "内容"): "好评"}
    rep, m = judged(world, entries)
    assert rep.added == [{"table": "feedback", "id": "F002", "kind": "suggestion", "person": "小张", "text": "加夜班"},
                         {"table": "feedback", "id": "F003", "kind": "highlight", "person": "小张", "text": "好评"}]
    assert [(r["table"], r["id"]) for r in rep.rejected] == [("feedback", "#3")]
    assert rep.rejected[0]["reason"].startswith("B1_客服.xlsx · 一线反馈: 第3行,列“类型”,值“吐槽”")
    fb = m.frames["feedback"]
    assert fb["feedback_id"].tolist() == ["F001", "F002", "F003"] and fb["status"].tolist() == ["new"] * 3
    assert fb["department"].tolist() == [D] * 3 and fb["problem_id"].isna().all() and fb.index.tolist() == [0, 1, 2]
    assert fb["origin"].iloc[1:].str.len().tolist() == [16, 16] and m.changed == {"feedback"}
    assert [(x["target"], x["row"], x["field"], x["old"], x["new"], x["detail"]) for x in rep.logged] == [
        ("一线反馈", "F002", None, None, "加夜班", "B1: 改进建议 · 加夜班"), ("一线反馈", "F003", None, None, "好评", "B1: 亮点 · 好评")]
    assert {(x["at"], x["user"], x["action"], x["result"], x["department"], x["file"]) for x in rep.logged} == {
        (AT, "质量部小王", "collect", "ok", D, "B1_客服.xlsx")}
    frames, path, row = world
    again = merge.judge(fill(path, entries), m, AT, "u")  # the same file collected again
    assert again.added == [] and len(m.frames["feedback"]) == 3


def test_feedback_into_an_empty_list_and_into_a_master_without_one(world):
    frames, path, row = world
    back = fill(path, {("一线反馈", 2, "日期"): dt.datetime(2026, 10, 3), ("一线反馈", 2, "反馈人"): "小张",
                       ("一线反馈", 2, "类型"): "改进建议", ("一线反馈", 2, "内容"): "加夜班"})
    frames["feedback"] = frames["feedback"].iloc[0:0]
    m = master(frames, row)
    rep = merge.judge(back, m, AT, "u")
    assert rep.added[0]["id"] == "F001" and m.frames["feedback"].index.tolist() == [0]
    assert m.frames["feedback"].columns.tolist() == list(schema.FEEDBACK.keys)
    del frames["feedback"]
    m = master(frames, row)
    rep = merge.judge(back, m, AT, "u")
    assert rep.added == [] and rep.status == "partly" and "feedback" not in m.frames
    assert rep.rejected == [{"table": "feedback", "id": "一线反馈", "reason": (
        "交回文件的“一线反馈”有1条新反馈,但本工作簿由较早的版本创建,没有“一线反馈”表:这些反馈未合并,仍保留在交回文件中。"
        "用新版 qualitybook.xlsm 新建主工作簿后再回收,即可合并。")}]


def test_a_feedback_sheet_with_a_column_renamed_is_sent_back_as_one(world):
    frames, path, row = world
    back = fill(path, {("一线反馈", 1, "内容"): "备注X", ("一线反馈", 2, "日期"): dt.datetime(2026, 10, 3),
                       ("一线反馈", 2, "反馈人"): "小张", ("一线反馈", 2, "类型"): "改进建议", ("一线反馈", 2, "备注X"): "x"})
    m = master(frames, row)
    rep = merge.judge(back, m, AT, "u")
    assert [(r["table"], r["id"]) for r in rep.rejected] == [("feedback", "一线反馈")] and "内容" in rep.rejected[0]["reason"]
    assert len(m.frames["feedback"]) == 1


# --------------------------------------------------------------------------- the small parts

def test_returned_rows_keep_sheet_row_numbers_pad_short_rows_and_skip_blank_ones():
    ret = Returned(None, {"问题清单": {(1, 1): "问题编号", (1, 2): "状态", (1, 3): None, (2, 1): "P1",
                                      (4, 1): "P2", (4, 2): "改进中", (4, 4): "多出", (5, 2): None}})
    raw, rows = merge.returned_rows(ret, schema.PROBLEMS, "zh")
    assert raw.columns.tolist() == ["问题编号", "状态", ""] and rows.tolist() == [2, 4]
    assert raw.to_numpy().tolist() == [["P1", None, None], ["P2", "改进中", None]] and raw.index.tolist() == [0, 1]
    raw, rows = merge.returned_rows(Returned(None, {}), schema.PROBLEMS, "zh")
    assert raw.empty and rows.empty


def test_values_as_the_log_shows_them():
    p, rc, a = schema.PROBLEMS, schema.ROOTCAUSE, schema.PLAN
    assert merge.shown("improving", p.field("status"), "zh") == "改进中"
    assert merge.shown("improving", p.field("status"), "en") == "Improving"
    assert merge.shown(True, rc.field("verified"), "zh") == "是" and merge.shown(False, rc.field("verified"), "en") == "No"
    assert merge.shown(None, a.field("note"), "zh") == "" and merge.shown(float("nan"), a.field("progress_pct"), "zh") == ""
    assert merge.shown(0.5, a.field("progress_pct"), "zh") == "0.5"


def test_a_returned_value_is_stored_as_given_even_in_a_column_of_another_type():
    f = pd.DataFrame({"b": [True, False], "n": pd.array([1, 2], dtype="Int64"), "x": [1.0, 2.0]})
    merge._set(f, 1, "b", None)
    assert f["b"].tolist() == [True, None] and f["b"].dtype == object
    merge._set(f, 0, "n", "七")
    assert f["n"].tolist() == ["七", 2] and f["n"].dtype == object
    merge._set(f, 0, "x", 3.5)
    assert f["x"].tolist() == [3.5, 2.0] and f["x"].dtype == float
    g = pd.DataFrame({"b": pd.array([True, None], dtype="boolean")})
    merge._set(g, 1, "b", "是")
    assert g["b"].tolist() == [True, "是"]


def test_a_report_refused_lists_its_rows_and_drops_what_it_had_applied():
    rep = merge.FileReport("f.xlsx", applied=[{"x": 1}], logged=[{"y": 1}], added=[{"z": 1}],
                           conflicts=[{"id": "A1", "held": True}, {"id": "A2"}])
    assert rep.held == [{"id": "A1", "held": True}]
    assert rep.refuse("不行", [("plan", "A1")]) is rep
    assert (rep.status, rep.reason, rep.applied, rep.logged, rep.added) == ("refused", "不行", [], [], [])
    assert rep.rejected == [{"table": "plan", "id": "A1", "reason": "不行"}]


def test_the_day_a_department_was_sent_its_file():
    m = master(worklists(), {"department": D, "sent_at": T("2026-10-01 09:00")},
               {"department": "技术部", "sent_at": pd.NaT})
    assert m.sent_on(D) == dt.date(2026, 10, 1) and m.sent_on("技术部") is None and m.sent_on("别的") is None


def test_the_master_row_of_a_root_cause_by_its_words_else_by_its_place():
    frames = worklists()
    m = master(frames)
    rc = schema.ROOTCAUSE
    assert merge._master_index(m, rc, "P1#2", {"problem_id": "P1", "dimension": "method", "cause": "排班松"}) == 1
    assert merge._master_index(m, rc, "P1#2", {"problem_id": "P1", "dimension": "method", "cause": "改了"}) == 1
    assert merge._master_index(m, rc, "P1#1", {"problem_id": "P1", "dimension": "method", "cause": "排班松"}) == 1
    assert merge._master_index(m, rc, "P1#1", {"problem_id": "P1", "dimension": "man", "cause": "排班松"}) == 0
    assert merge._master_index(m, rc, "P1#3", {"problem_id": "P1", "dimension": "man", "cause": "无"}) is None
    assert merge._master_index(m, schema.PLAN, "A2", {}) == 1 and merge._master_index(m, schema.PLAN, "A4", {}) is None


def test_a_master_in_english_logs_in_english_what_a_file_in_chinese_returned(world):
    frames, path, row = world
    m = master(frames, row)
    m.lang = "en"
    back = fill(path, {("问题清单", "P1", "状态"): "改进中", ("根因分析", 3, "验证证据"): "=抽查",
                       ("根因分析", 5, "问题编号"): "P1", ("根因分析", 5, "6M维度"): "环", ("根因分析", 5, "原因"): "新的"})
    rep = merge.judge(back, m, AT, "u")
    assert [(x["target"], x["field"], x["old"], x["new"], x["detail"]) for x in rep.logged] == [
        ("Problems", "Status", "Analysing", "Improving", "B1: Analysing → Improving"),
        ("Root cause", "Evidence", "", "=抽查", "B1: — → =抽查 (formula kept as text)")]
    assert rep.rejected == [{"table": "rootcause", "id": "P1#?",
                             "reason": "“根因分析”第5行:下发时没有这一行(新增行或编号被改),已退回"}]


def test_a_row_renumbered_is_sent_back_and_the_rows_after_it_are_still_judged(world):
    rep, _ = judged(world, {("改进计划", "A1", "措施编号"): "A9", ("改进计划", "A2", "说明"): "好"})
    assert rep.rejected == [{"table": "plan", "id": "A9",
                             "reason": "“改进计划”第2行:下发时没有这一行(新增行或编号被改),已退回"}]
    assert rep.applied == [{"table": "plan", "id": "A2", "field": "note", "old": None, "new": "好"}]


def test_the_workbooks_value_mapping_reads_the_returned_values(world):
    frames, path, row = world
    back = fill(path, {("改进计划", "A2", "状态"): "搞定", ("改进计划", "A2", "实际完成日期"): dt.datetime(2026, 10, 5),
                       ("一线反馈", 2, "日期"): dt.datetime(2026, 10, 3), ("一线反馈", 2, "反馈人"): "小张",
                       ("一线反馈", 2, "类型"): "夸夸", ("一线反馈", 2, "内容"): "客户表扬"})
    plain = merge.judge(back, master(worklists(), row), AT, "u")
    assert [r["id"] for r in plain.rejected] == ["A2", "#2"] and plain.added == []
    mapped = merge.judge(back, master(worklists(), row, options=values.ParseOptions(
        value_map={"status": {"搞定": "done"}, "kind": {"夸夸": "highlight"}})), AT, "u")
    assert mapped.rejected == [] and ("A2", "status", "done") in [(a["id"], a["field"], a["new"]) for a in mapped.applied]
    assert [(a["id"], a["kind"]) for a in mapped.added] == [("F002", "highlight")]


def test_a_value_cleared_by_the_department_is_logged_as_a_dash(world):
    rep, m = judged(world, {("改进计划", "A3", "说明"): None})
    assert rep.applied == [{"table": "plan", "id": "A3", "field": "note", "old": "已排期", "new": None}]
    assert [x["detail"] for x in rep.logged] == ["B1: 已排期 → —"] and pd.isna(m.frames["plan"].at[2, "note"])


def test_a_row_added_to_a_sheet_sent_empty_is_sent_back(tmp_path):
    frames = worklists()
    path, row = send(tmp_path, frames, department="技术部")  # P3 and its cause; no action
    rep = merge.judge(fill(path, {("改进计划", 2, "措施编号"): "A7", ("改进计划", 2, "问题编号"): "P3",
                                  ("改进计划", 2, "改进措施"): "换设备"}), master(frames, row), AT, "u")
    assert rep.status == "partly" and rep.rejected == [
        {"table": "plan", "id": "A7", "reason": "“改进计划”第2行:下发时没有这一行(新增行或编号被改),已退回"}]
