"""Sending workbooks to departments and collecting them back (issue 10), with real files: the ones we
write, returns edited as a department would (openpyxl, LibreOffice), and hostile files made here."""
import datetime as dt
import getpass
import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from conftest import ROOT, libreoffice, write_csv
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.context import Context
from pyaddin.core.dispatch import FORMAT, RESERVED_NAMES, safe_stem
from pyaddin.errors import QBError
from pyaddin.runner import run_file

SAMPLES = ROOT / "samples"
SENT_AT = dt.datetime(2026, 10, 1, 9, 0)
HOSTILE = "../../财务部\\CON:*?"  # a department name that would climb out of the folder and break Windows


def ctx(at=SENT_AT, user="质量部小王"):
    return Context(clock=lambda: at, user=user)


def master(tmp_path: Path, name="master.xlsm") -> Path:
    """Our workbook with a problem list (one owner with a hostile name), the sample root causes and plan."""
    book = tmp_path / name
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    problems = write_csv(tmp_path / "problems.csv",
                         "问题编号,问题描述,来源,责任部门,状态,影响程度,发生频率\n"
                         "P001,夜间物流咨询响应慢,帕累托,客服中心,改进中,4,5\n"
                         "P002,质检标准不统一,手工,质检部,分析中,3,3\n"
                         f"P003,报销流程长,手工,{HOSTILE},待分析,2,2\n"
                         "P004,已解决的旧问题,手工,客服中心,已关闭,1,1\n"
                         "P005,无人认领的问题,手工,,待分析,1,1\n")
    for key, path in (("problems", problems), ("rootcause", SAMPLES / "rootcause.csv"), ("plan", SAMPLES / "plan.csv")):
        out = run_file(f"import_{key}", book, ctx(), path=path)
        assert out.exit_code == 0, out.details
    return book


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def distribute(book, outdir, at=SENT_AT, **kw):
    out = run_file("distribute", book, ctx(at), outdir=outdir, deadline="2026-10-15", **kw)
    assert out.exit_code == 0, (out.key, out.details)
    return out


def collect(book, *paths, at=SENT_AT + dt.timedelta(days=7), **kw):
    return run_file("collect", book, ctx(at), paths=[str(p) for p in paths], **kw)


def sent_file(outdir: Path, department: str) -> Path:
    return next(p for p in outdir.iterdir() if p.stem.endswith("_" + safe_stem(department)))


def fill(src: Path, dst: Path, edit, by="部门同事") -> Path:
    """A department at work: opens the file, changes cells, saves (Excel names the one who saved it)."""
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.properties.lastModifiedBy = by
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def put(ws, item: str, header: str, value, row=None):
    headers = [c.value for c in ws[1]]
    r = row or next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == item)
    ws.cell(row=r, column=headers.index(header) + 1, value=value)


def table(book: Path, t) -> "object":
    with FileBook(book) as b:
        return b.read(t).data


def shown_log(book: Path) -> pd.DataFrame:
    """操作日志 as its sheet shows it (labels, not the keys the code reads)."""
    rows = list(openpyxl.load_workbook(book)["操作日志"].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.fixture
def sent(tmp_path):
    book = master(tmp_path)
    outdir = tmp_path / "out"
    distribute(book, outdir)
    return book, outdir


# --------------------------------------------------------------------------- distribute

@pytest.mark.parametrize("name", ["../x", "a/b\\c", "CON", "com1.txt", 'a:b*?"<>|', "..", "", " . ", "LPT9", "a\x00b"])
def test_a_department_name_becomes_a_file_name_that_stays_in_the_folder(name, tmp_path):
    stem = safe_stem(name)
    assert stem and not any(ch in stem for ch in '/\\:*?"<>|\x00') and ".." not in stem
    assert stem.split(".")[0].lower() not in RESERVED_NAMES and stem == stem.strip(" .")
    assert (tmp_path / f"B1_{stem}.xlsx").resolve().parent == tmp_path.resolve()


def test_distribute_writes_one_locked_workbook_per_department(tmp_path):
    book, outdir = master(tmp_path), tmp_path / "out"
    out = distribute(book, outdir)
    assert "P005" in out.details[-1] and "未填写责任部门" in out.details[-1]  # said, not silently dropped
    files = sorted(p.name for p in outdir.iterdir())
    assert files == sorted(f"B20261001-1_{safe_stem(d)}.xlsx" for d in ("客服中心", "技术部", "质检部", HOSTILE))
    assert {p.name for p in tmp_path.rglob("*.xlsx")} == set(files)  # nothing written outside the folder

    wb = openpyxl.load_workbook(sent_file(outdir, "客服中心"))
    assert wb.sheetnames == ["填写说明", "问题清单", "根因分析", "改进计划", "一线反馈", "KPI快照", "_qb"]  # 一线反馈: staff add entries
    assert wb["_qb"].sheet_state == "veryHidden" and wb.security.lockStructure
    master_wb = openpyxl.load_workbook(book)
    for t in (schema.PROBLEMS, schema.ROOTCAUSE, schema.PLAN):  # the master's own column labels
        n = len(t.fields)  # the department's sheet may add what it reads by (the problem served, days overdue)
        assert [c.value for c in wb[t.sheet("zh")][1]][:n] == [c.value for c in master_wb[t.sheet("zh")][1]][:n]
    problems = [r[0] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert problems == ["P001"]  # its open problems only (P004 is closed)
    plan = wb["改进计划"]
    assert [r[0] for r in plan.iter_rows(min_row=2, values_only=True)] == ["A003"]  # A001 is done: not sent
    assert plan.protection.sheet and list(plan.tables) == ["tbl_plan"] and plan.tables["tbl_plan"].ref == f"A1:{get_column_letter(len(schema.PLAN.fields))}2"
    headers = [c.value for c in plan[1]]
    for h in ("进度%", "状态", "实际完成日期", "完成证据"):
        assert plan.cell(row=2, column=headers.index(h) + 1).protection.locked is False, h
    for h in ("措施编号", "改进措施", "完成期限", "目标值", "审批"):
        assert plan.cell(row=2, column=headers.index(h) + 1).protection.locked is True, h
    rules = {str(dv.sqref): dv for dv in plan.data_validations.dataValidation}
    col = {h: openpyxl.utils.get_column_letter(headers.index(h) + 1) for h in headers}
    assert rules[f"{col['进度%']}2"].type == "decimal" and (rules[f"{col['进度%']}2"].formula1,
                                                              rules[f"{col['进度%']}2"].formula2) == ("0", "100")
    assert rules[f"{col['状态']}2"].type == "list" and "已完成" in rules[f"{col['状态']}2"].formula1
    assert rules[f"{col['实际完成日期']}2"].type == "date"
    rc = wb["根因分析"]
    assert rc.cell(row=2, column=[c.value for c in rc[1]].index("已验证") + 1).protection.locked is False
    assert wb["KPI快照"]["A3"].value == "无数据:总表尚无工单。"  # never a 0 % for data never supplied
    hidden = list(wb["_qb"].iter_rows(values_only=True))
    assert hidden[0][:2] == ("format", FORMAT) and hidden[2][0] == "master_id"
    with zipfile.ZipFile(sent_file(outdir, "客服中心")) as z:  # plain .xlsx: no macros
        assert not any("vba" in n.lower() for n in z.namelist())
        assert b"macroEnabled" not in z.read("[Content_Types].xml")

    rows = table(book, schema.DISPATCH)
    assert sorted(rows["department"]) == sorted(["客服中心", "技术部", "质检部", HOSTILE])
    assert set(rows["batch"]) == {"B20261001-1"} and rows["master_id"].nunique() == 1
    assert rows["digest"].str.fullmatch(r"[0-9a-f]{64}").all() and rows["returned_at"].isna().all()
    log = table(book, schema.LOG)
    sent_rows = log[log["action"] == "distribute"]
    assert sorted(sent_rows["file"].dropna()) == files  # a log row per file sent
    shown = shown_log(book)  # the sheet shows the button and sentences of the book, the code reads keys
    assert set(shown["操作"]) == {"导入问题清单", "导入根因分析", "导入改进计划", "下发部门"}
    assert set(shown["结果"]) == {"成功"}
    assert "批次B20261001-1 → 客服中心:问题1条,根因6条,措施1条。" in set(shown["详情"])


def test_the_kpi_snapshot_is_the_departments_indicators_over_the_last_month(tmp_path):
    book = master(tmp_path)
    assert run_file("import_tickets", book, ctx(), path=SAMPLES / "tickets.csv").exit_code == 0
    assert run_file("kpi", book, ctx(), period="2026-09").exit_code == 0
    distribute(book, tmp_path / "out", departments=["客服中心"])
    ws = openpyxl.load_workbook(sent_file(tmp_path / "out", "客服中心"))["KPI快照"]
    shown = {r[0]: r[1:] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert ws["A2"].value == "统计期间:2026-09-01 至 2026-09-30(有工单的最近一个月)"
    k = table(book, schema.KPI)  # the KPI run of the same month says the same, indicator by indicator
    mine = k[(k["scope"] == "部门") & (k["group"] == "客服中心") & k["target"].notna() & k["value"].notna()]
    assert set(mine["name"]) <= set(shown) and len(mine) >= 5
    for r in mine.itertuples():
        value, target, status = shown[r.name]
        assert (value is None and r.value != r.value) or value == pytest.approx(r.value)
        assert status == (None if r.status != r.status else r.status)
        assert target == (None if r.target != r.target else r.target)


def test_distribute_to_chosen_departments_and_a_second_batch(tmp_path):
    book = master(tmp_path)
    distribute(book, tmp_path / "a", departments=["技术部"])
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["B20261001-1_技术部.xlsx"]
    distribute(book, tmp_path / "b")
    assert {p.name.split("_")[0] for p in (tmp_path / "b").iterdir()} == {"B20261001-2"}
    with pytest.raises(QBError) as e:
        run_file("distribute", book, ctx(), outdir=tmp_path / "c", departments=["销售部"])
    assert "销售部" in e.value.say() and "技术部" in e.value.say() and not (tmp_path / "c").exists()


# --------------------------------------------------------------------------- collect


def tech_done(wb):
    ws = wb["改进计划"]
    put(ws, "A002", "进度%", 100)
    put(ws, "A002", "状态", "已完成")
    put(ws, "A002", "实际完成日期", dt.datetime(2026, 9, 28))
    put(ws, "A002", "完成证据", "快捷入口已上线")


def test_a_clean_return_is_merged_in_the_editable_fields_with_a_log_row_per_change(sent, tmp_path, runner, cli):
    book, outdir = sent
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, tech_done, "张工")
    before = sha(book)
    r = runner.invoke(cli, ["collect", str(book), str(back), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert list(data) == ["batch", "files", "missing_departments", "skipped"] and data["batch"] == "B20261001-1"
    f = data["files"][0]
    assert list(f) == ["file", "department", "status", "reason", "applied", "rejected", "conflicts", "notes",
                       "added"]  # 一线反馈 entries appended
    assert (f["file"], f["department"], f["status"], f["reason"]) == (back.name, "技术部", "accepted", None)
    assert f["applied"] == [
        {"table": "plan", "id": "A002", "field": "progress_pct", "old": 60, "new": 100},
        {"table": "plan", "id": "A002", "field": "status", "old": "in_progress", "new": "done"},
        {"table": "plan", "id": "A002", "field": "completed_on", "old": None, "new": "2026-09-28"},
        {"table": "plan", "id": "A002", "field": "evidence", "old": None, "new": "快捷入口已上线"}]
    assert f["rejected"] == [] and f["conflicts"] == []
    assert sorted(data["missing_departments"]) == sorted(["客服中心", "质检部", HOSTILE])
    plan = table(book, schema.PLAN).set_index("action_id")
    assert plan.at["A002", "progress_pct"] == 100 and plan.at["A002", "status"] == "done"
    assert plan.at["A002", "completed_on"] == dt.datetime(2026, 9, 28) and plan.at["A002", "evidence"] == "快捷入口已上线"
    assert plan.at["A002", "measure"] == "客服系统首页添加“物流咨询快捷入口”"
    assert sha(book.with_name(book.name + ".bak")) == before  # the master as it was, kept before the write
    log = table(book, schema.LOG)
    rows = log[(log["action"] == "collect") & log["field"].notna()]
    assert {"下发部门", "回收汇总"} <= set(shown_log(book)["操作"]) and "collect" not in set(shown_log(book)["操作"])
    rows = rows.astype(object).where(rows.notna(), None)
    assert list(zip(rows["department"], rows["file"], rows["row"], rows["field"], rows["old"], rows["new"])) == [
        ("技术部", back.name, "A002", "进度%", "60", "100"), ("技术部", back.name, "A002", "状态", "进行中", "已完成"),
        ("技术部", back.name, "A002", "实际完成日期", None, "2026-09-28"),
        ("技术部", back.name, "A002", "完成证据", None, "快捷入口已上线")]
    assert rows["at"].notna().all() and rows["at"].nunique() == 1 and set(rows["user"]) == {getpass.getuser()}
    d = table(book, schema.DISPATCH).set_index("department")
    assert d.at["技术部", "returned_file"] == back.name and d.at["技术部", "result"] == "已接收"
    assert d.loc[["客服中心", "质检部"], "returned_at"].isna().all()


def test_collecting_the_same_file_twice_changes_nothing_the_second_time(sent, tmp_path):
    book, outdir = sent
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, tech_done)
    twice = tmp_path / "again" / back.name
    twice.parent.mkdir()
    shutil.copy(back, twice)
    out = collect(book, back, twice)  # a duplicate in the same run: nothing more from the second
    assert [len(f["applied"]) for f in out.data["files"]] == [4, 0]
    after = sha(book)
    out = collect(book, back)
    assert out.exit_code == 0 and out.data["files"][0]["applied"] == [] and out.data["files"][0]["status"] == "accepted"
    assert sha(book) == after  # not even a log row


def test_a_tampered_locked_field_sends_that_row_back_and_nothing_of_it_is_applied(sent, tmp_path):
    book, outdir = sent

    def edit(wb):
        ws = wb["改进计划"]
        ws.protection.sheet = False
        put(ws, "A003", "完成期限", dt.datetime(2026, 12, 31))  # a locked field: the deadline pushed back
        put(ws, "A003", "进度%", 90)
        put(wb["根因分析"], None, "验证证据", "排班表对照", row=2)
    back = fill(sent_file(outdir, "客服中心"), tmp_path / "back" / sent_file(outdir, "客服中心").name, edit)
    out = collect(book, back)
    f = out.data["files"][0]
    assert out.exit_code == 1 and f["status"] == "partly"
    assert [(x["table"], x["id"]) for x in f["rejected"]] == [("plan", "A003")]
    assert "完成期限" in f["rejected"][0]["reason"] and "第2行" in f["rejected"][0]["reason"]
    assert [(a["table"], a["id"], a["field"]) for a in f["applied"]] == [("rootcause", "P001#1", "evidence")]
    plan = table(book, schema.PLAN).set_index("action_id")
    assert plan.at["A003", "progress_pct"] == 40 and plan.at["A003", "deadline"] == dt.datetime(2026, 10, 10)


def test_formulas_links_and_formula_text_are_stored_as_plain_text(sent, tmp_path):
    book, outdir = sent
    texts = ['=HYPERLINK("http://evil.example/x","点我")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
             "=[外部.xlsx]Sheet1!A1"]

    def edit(wb):
        rc = wb["根因分析"]
        for r, t in enumerate(texts, start=2):
            put(rc, None, "验证证据", t, row=r)  # openpyxl makes the ones starting with = formulas, as Excel does
        rc.cell(row=2, column=1).hyperlink = "http://evil.example/"
    back = fill(sent_file(outdir, "客服中心"), tmp_path / "back" / sent_file(outdir, "客服中心").name, edit)
    with zipfile.ZipFile(back) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet3"))
        assert b"<f>" in z.read(sheet)  # the return really holds formula cells
    out = collect(book, back)
    assert out.data["files"][0]["status"] == "accepted", out.data
    wb = openpyxl.load_workbook(book)
    rc = wb["根因分析"]
    col = [c.value for c in rc[1]].index("验证证据") + 1
    cells = [rc.cell(row=r, column=col) for r in range(2, 2 + len(texts))]
    assert [c.value for c in cells] == texts and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        assert not any("externalLink" in n for n in names)
        assert not any(b"hyperlink" in z.read(n).lower() for n in names if n.endswith(".rels"))
        # only the guide's own links to its sheets (a location inside the book, no address) are there
        assert not any(re.search(rb"<hyperlink\b[^>]*\br:id=", z.read(n)) for n in names
                       if n.startswith("xl/worksheets/sheet"))


def zip_bomb(path: Path, good: Path) -> None:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            z.writestr(i, src.read(i))
        z.writestr("xl/media/zeros.bin", b"\0" * (150 * 1024 * 1024))


def entity_bomb(path: Path, good: Path) -> None:
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
           + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">'
           '<c r="S2" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():  # the plan sheet (the fourth) made a billion laughs
            z.writestr(i, lol.encode() if i.filename == "xl/worksheets/sheet4.xml" else src.read(i))


def with_vba(path: Path, good: Path) -> None:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            z.writestr(i, src.read(i))
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")


HOSTILE_FILES = {
    "zip bomb": (".xlsx", zip_bomb, "压缩炸弹"),
    "xml entities": (".xlsx", entity_bomb, "XML炸弹"),
    "vba inside": (".xlsx", with_vba, "含宏"),
    "xlsm": (".xlsm", lambda p, g: shutil.copy(g, p), "含宏"),
    "xls": (".xls", lambda p, g: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096), "只接收 .xlsx"),
    "password": (".xlsx", lambda p, g: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096), "密码"),
    "corrupt": (".xlsx", lambda p, g: p.write_bytes(g.read_bytes()[:3000]), "已损坏"),
    "not a zip": (".xlsx", lambda p, g: p.write_text("hello"), "已损坏"),
    "too large": (".xlsx", lambda p, g: p.write_bytes(b"PK" + b"\0" * (11 * 1024 * 1024)), "超过10 MB"),
    "someone else's": (".xlsx", lambda p, g: shutil.copy(SAMPLES / "inspections.xlsx", p), "不是QualityBook下发"),
}


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_hostile_files_are_refused_with_a_reason_and_the_master_is_untouched(kind, sent, tmp_path):
    book, outdir = sent
    suffix, make, words = HOSTILE_FILES[kind]
    good = fill(sent_file(outdir, "技术部"), tmp_path / "good.xlsx", tech_done)
    bad = tmp_path / "back" / f"B20261001-1_技术部{suffix}"
    bad.parent.mkdir()
    make(bad, good)
    before = sha(book)
    out = collect(book, bad)
    f = out.data["files"][0]
    assert out.exit_code == 1 and f["status"] == "refused" and words in f["reason"], f
    assert f["applied"] == [] and sha(book) == before
    assert out.data["missing_departments"]  # a refused file is not a return


def test_files_of_another_batch_or_master_renamed_copies_and_altered_fingerprints_are_refused(sent, tmp_path):
    book, outdir = sent
    old = fill(sent_file(outdir, "技术部"), tmp_path / "old" / "old.xlsx", tech_done)
    (tmp_path / "m2").mkdir()
    other = master(tmp_path / "m2")
    distribute(other, tmp_path / "other_out")
    foreign = fill(sent_file(tmp_path / "other_out", "技术部"), tmp_path / "foreign" / "x.xlsx", tech_done)

    def forge(wb):
        tech_done(wb)
        wb["_qb"]["D10"] = "0" * 64  # a fingerprint rewritten to fit a changed row
    forged = fill(sent_file(outdir, "技术部"), tmp_path / "forged" / "f.xlsx", forge)
    renamed = tmp_path / "renamed" / sent_file(outdir, "质检部").name  # 技术部's file under 质检部's name
    renamed.parent.mkdir()
    shutil.copy(old, renamed)

    def unhide(wb):
        del wb["_qb"]
    stripped = fill(sent_file(outdir, "技术部"), tmp_path / "stripped" / "s.xlsx", unhide)
    out = collect(book, foreign, forged, renamed, stripped)
    reasons = {f["file"]: f for f in out.data["files"]}
    assert "另一个总表" in reasons["x.xlsx"]["reason"]
    assert "隐藏校验信息被改动" in reasons["f.xlsx"]["reason"]
    assert "复制改名" in reasons[renamed.name]["reason"]
    assert "不是QualityBook下发" in reasons["s.xlsx"]["reason"]
    for f in out.data["files"]:
        assert f["status"] == "refused" and f["applied"] == []
    assert [x["id"] for x in reasons["f.xlsx"]["rejected"]] == ["A002"]  # rejected row by row
    assert table(book, schema.PLAN).set_index("action_id").at["A002", "progress_pct"] == 60
    distribute(book, tmp_path / "second", at=SENT_AT + dt.timedelta(days=1))
    out = collect(book, old)
    assert "B20261001-1" in out.data["files"][0]["reason"] and out.data["batch"] == "B20261002-1"


def test_a_change_made_in_the_master_after_sending_is_reported_as_a_conflict(sent, tmp_path):
    book, outdir = sent
    with FileBook(book) as b:
        plan = b.read(schema.PLAN).data
        plan.loc[plan["action_id"] == "A002", "progress_pct"] = 70
        b.write(schema.PLAN, plan)
        b.save()
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, tech_done)
    out = collect(book, back)
    f = out.data["files"][0]
    assert f["status"] == "partly" and f["conflicts"] == [
        {"table": "plan", "id": "A002", "field": "progress_pct", "master": 70, "returned": 100}]
    assert "progress_pct" not in {a["field"] for a in f["applied"]} and len(f["applied"]) == 3
    assert table(book, schema.PLAN).set_index("action_id").at["A002", "progress_pct"] == 70


def test_a_corrected_return_replaces_the_departments_own_earlier_return(sent, tmp_path):
    book, outdir = sent
    first = fill(sent_file(outdir, "技术部"), tmp_path / "1" / "t.xlsx", lambda wb: put(wb["改进计划"], "A002", "进度%", 80))
    assert collect(book, first).data["files"][0]["applied"][0]["new"] == 80
    second = fill(sent_file(outdir, "技术部"), tmp_path / "2" / "t.xlsx", lambda wb: put(wb["改进计划"], "A002", "进度%", 95))
    f = collect(book, second).data["files"][0]
    assert f["conflicts"] == [] and f["applied"] == [
        {"table": "plan", "id": "A002", "field": "progress_pct", "old": 80, "new": 95}]


def test_invalid_values_and_added_rows_are_sent_back(sent, tmp_path):
    book, outdir = sent

    def edit(wb):
        ws = wb["根因分析"]
        ws.protection.sheet = False
        put(ws, None, "已验证", "也许", row=2)
        ws.append(["P001", "人", "新增的原因"])
        put(wb["改进计划"], "A003", "进度%", 150)
    back = fill(sent_file(outdir, "客服中心"), tmp_path / "back" / sent_file(outdir, "客服中心").name, edit)
    f = collect(book, back).data["files"][0]
    reasons = {x["id"]: x["reason"] for x in f["rejected"]}
    assert "第2行" in reasons["P001#1"] and "已验证" in reasons["P001#1"]
    assert "进度%" in reasons["A003"] and "下发时没有这一行" in " ".join(reasons.values())
    assert f["applied"] == []


def test_dry_run_reports_everything_and_writes_nothing(sent, tmp_path):
    book, outdir = sent
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, tech_done)
    before, bak = sha(book), book.with_name(book.name + ".bak")
    kept = sha(bak)  # the copy the distribution's save left
    dry = collect(book, back.parent, dry_run=True)
    assert sha(book) == before and sha(bak) == kept
    real = collect(book, back.parent)
    assert dry.data == real.data and dry.key == "collect_dry_run" and len(real.data["files"][0]["applied"]) == 4


def test_a_file_as_sent_is_not_a_return(sent):
    book, outdir = sent
    out = collect(book, outdir)
    assert all(f["status"] == "refused" and "尚未填写" in f["reason"] for f in out.data["files"])
    assert len(out.data["missing_departments"]) == 4


def test_the_ribbon_asks_for_the_folders_and_merges_into_the_open_book(tmp_path, monkeypatch):
    from test_excel_side import ribbon

    from pyaddin.excel import run_action

    book = master(tmp_path)
    xl = ribbon(book, monkeypatch)
    outdir = tmp_path / "out"
    xl.app.api.folders = [str(outdir)]
    assert run_action("distribute") == 0, xl.app.alerts[-1]
    assert "已生成4个部门工作簿" in xl.app.alerts[-1][1]
    files = list(outdir.iterdir())
    assert len(files) == 4
    dispatch_cells = xl.sheet("下发回收").cells
    assert sum(1 for (r, c), v in dispatch_cells.items() if c == 3 and r > 1) == 4  # four rows, in the open book
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, tech_done)
    xl.app.api.folders = [str(back.parent)]
    assert run_action("collect") == 0, xl.app.alerts[-1]
    assert "合并4项变更" in xl.app.alerts[-1][1]
    plan = xl.sheet("改进计划")
    headers = {v: c for (r, c), v in plan.cells.items() if r == 1}
    row = next(r for (r, c), v in plan.cells.items() if c == 1 and v == "A002")
    assert plan.cells[(row, headers["进度%"])] == 100 and plan.cells[(row, headers["完成证据"])] == "快捷入口已上线"
    assert Path(str(book) + ".bak").exists()  # Excel's SaveCopyAs, before the merge
    xl.app.api.folders = []
    assert run_action("collect") == 0 and "未选择文件夹" in xl.app.alerts[-1][1]


def test_libreoffice_sees_the_locks_and_a_return_saved_by_it_is_merged_as_text(sent, tmp_path):
    book, outdir = sent
    src = sent_file(outdir, "技术部")
    headers = [c.value for c in openpyxl.load_workbook(src)["改进计划"][1]]
    col = {h: openpyxl.utils.get_column_letter(headers.index(h) + 1) for h in headers}
    back = tmp_path / "back" / src.name
    back.parent.mkdir()
    facts = libreoffice("fill", src, back, "改进计划", f"{col['进度%']}2=90", f"{col['完成证据']}2==1+2",
                        f"{col['改进措施']}2=改写")
    assert facts["protected"] is True
    assert facts["locked"] == {f"{col['进度%']}2": False, f"{col['完成证据']}2": False, f"{col['改进措施']}2": True}
    assert facts["validation"][f"{col['进度%']}2"] == "DECIMAL"
    out = collect(book, back)
    f = out.data["files"][0]
    assert [x["id"] for x in f["rejected"]] == ["A002"] and "改进措施" in f["rejected"][0]["reason"]
    facts = libreoffice("fill", src, back, "改进计划", f"{col['进度%']}2=90", f"{col['完成证据']}2==1+2")
    out = collect(book, back)
    f = out.data["files"][0]
    assert f["status"] == "accepted" and {(a["field"], a["new"]) for a in f["applied"]} == {
        ("progress_pct", 90), ("evidence", "=1+2")}
    plan_sheet = schema.PLAN.sheet("zh")
    master_headers = [c.value for c in openpyxl.load_workbook(book)[plan_sheet][1]]
    row = 1 + [r[0] for r in openpyxl.load_workbook(book)[plan_sheet].iter_rows(values_only=True)].index("A002")
    cell = f"{openpyxl.utils.get_column_letter(master_headers.index('完成证据') + 1)}{row}"
    kinds = libreoffice("kinds", book, plan_sheet, cell)
    assert kinds[cell][0] == "TEXT" and kinds[cell][2] == "=1+2"  # text, not a FORMULA


# --------------------------------------------------------------------------- §10's rules, row by row

RULE_CASES = {  # an edit a department makes to its real workbook → the reason it is sent back
    "closes a problem": (lambda wb: put(wb["问题清单"], "P001", "状态", "已关闭"), "P001", "不能关闭问题"),
    "cancels an action": (lambda wb: put(wb["改进计划"], "A003", "状态", "已取消"), "A003", "不能取消措施"),
    "sets overdue itself": (lambda wb: put(wb["改进计划"], "A003", "状态", "已逾期"), "A003", "自动判断"),
    "goes back to planned": (lambda wb: put(wb["改进计划"], "A003", "状态", "计划中"), "A003", "只能向前推进"),
    "completes before the start": (lambda wb: (put(wb["改进计划"], "A003", "状态", "已完成"),
                                               put(wb["改进计划"], "A003", "实际完成日期", dt.datetime(2026, 8, 20))),
                                   "A003", "早于开始日期2026-09-01"),
    "completes after collection": (lambda wb: (put(wb["改进计划"], "A003", "状态", "已完成"),
                                               put(wb["改进计划"], "A003", "实际完成日期", dt.datetime(2026, 10, 20))),
                                   "A003", "晚于回收当天2026-10-08"),
}


@pytest.mark.parametrize("case", list(RULE_CASES))
def test_each_department_rule_sends_its_row_back_with_the_reason(case, sent, tmp_path):
    book, outdir = sent
    edit, item, reason = RULE_CASES[case]
    before = table(book, schema.PLAN), table(book, schema.PROBLEMS)
    back = fill(sent_file(outdir, "客服中心"), tmp_path / "back" / sent_file(outdir, "客服中心").name,
                lambda wb: (edit(wb), put(wb["改进计划"], "A003", "完成证据", "培训记录")))
    out = collect(book, back)
    assert out.exit_code == 1
    f = out.data["files"][0]
    assert [x["id"] for x in f["rejected"]] == [item] and reason in f["rejected"][0]["reason"]
    assert any(reason in line for line in out.details)  # in the message as well
    after = table(book, schema.PLAN).set_index("action_id"), table(book, schema.PROBLEMS).set_index("problem_id")
    if item == "A003":  # nothing of the row is applied, not even its evidence
        assert after[0].at["A003", "status"] == "in_progress" and pd.isna(after[0].at["A003", "evidence"])
    else:
        assert after[1].at["P001", "status"] == before[1].set_index("problem_id").at["P001", "status"]


def test_done_below_100_percent_is_recorded_at_100_and_said(sent, tmp_path):
    book, outdir = sent

    def edit(wb):
        put(wb["改进计划"], "A003", "状态", "已完成")
        put(wb["改进计划"], "A003", "进度%", 80)
        put(wb["改进计划"], "A003", "实际完成日期", dt.datetime(2026, 10, 5))
    back = fill(sent_file(outdir, "客服中心"), tmp_path / "back" / sent_file(outdir, "客服中心").name, edit)
    out = collect(book, back)
    assert out.exit_code == 0, out.details
    plan = table(book, schema.PLAN).set_index("action_id")
    assert plan.at["A003", "status"] == "done" and plan.at["A003", "progress_pct"] == 100
    assert out.data["files"][0]["notes"] == ["“改进计划”第2行:措施A003已完成,进度已按100%记录"]


def test_an_action_overdue_when_sent_and_back_done_on_time_waits_for_the_quality_team(sent, tmp_path, runner, cli):
    book, outdir = sent  # A002 was due on 5 September and sent on 1 October: 26 days overdue

    def edit(wb):
        put(wb["改进计划"], "A002", "状态", "已完成")
        put(wb["改进计划"], "A002", "实际完成日期", dt.datetime(2026, 9, 5))
        put(wb["改进计划"], "A002", "完成证据", "上线记录")
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, edit)
    r = runner.invoke(cli, ["collect", str(book), str(back), "--json"])
    assert r.exit_code == 1
    f = json.loads(r.output)["files"][0]
    assert f["applied"] == [] and [c["id"] for c in f["conflicts"] if c["held"]] == ["A002"]
    assert "下发时已逾期26天" in f["conflicts"][0]["reason"] and "2026-09-05" in f["conflicts"][0]["reason"]
    plan = table(book, schema.PLAN).set_index("action_id")
    assert plan.at["A002", "status"] == "in_progress" and pd.isna(plan.at["A002", "evidence"])  # never silently
    d = table(book, schema.DISPATCH).set_index("department")
    assert d.at["技术部", "result"] == "待确认" and d.at["技术部", "to_confirm"] == "A002"
    r = runner.invoke(cli, ["collect", str(book), str(back)])
    assert "待确认 A002" in r.output and "collect --accept A002" in r.output
    # the quality team checked the evidence: applied on its word only
    r = runner.invoke(cli, ["collect", str(book), str(back), "--accept", "A002"])
    assert r.exit_code == 0, r.output
    plan = table(book, schema.PLAN).set_index("action_id")
    assert plan.at["A002", "status"] == "done" and plan.at["A002", "evidence"] == "上线记录"
    assert plan.at["A002", "progress_pct"] == 100
    d = table(book, schema.DISPATCH).set_index("department")
    assert d.at["技术部", "result"] == "已接收" and pd.isna(d.at["技术部", "to_confirm"])


def test_the_ribbon_confirms_a_held_row_with_a_question(sent, tmp_path):
    book, outdir = sent

    def edit(wb):
        put(wb["改进计划"], "A002", "状态", "已完成")
        put(wb["改进计划"], "A002", "实际完成日期", dt.datetime(2026, 9, 1))
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, edit)
    asked = []
    c = ctx(SENT_AT + dt.timedelta(days=7))
    c.confirm = lambda q: asked.append(q) or True
    out = run_file("collect", book, c, paths=[str(back)])
    assert len(asked) == 1 and "A002" in asked[0] and "确认合并" in asked[0]
    assert out.exit_code == 0 and table(book, schema.PLAN).set_index("action_id").at["A002", "status"] == "done"


def test_a_requested_extension_comes_back_and_the_quality_team_approves_it(sent, tmp_path, runner, cli):
    import pandas as pd

    from pyaddin.ops.appraisal import deadlines_in_force

    book, outdir = sent

    def edit(wb):
        put(wb["改进计划"], "A003", "说明", "培训讲师临时出差")
        put(wb["改进计划"], "A003", "申请延期至", dt.datetime(2026, 11, 30))
        put(wb["改进计划"], "A003", "延期理由", "讲师11月返岗")
    back = fill(sent_file(outdir, "客服中心"), tmp_path / "back" / sent_file(outdir, "客服中心").name, edit)
    out = collect(book, back)
    assert out.exit_code == 0, out.details
    plan = table(book, schema.PLAN).set_index("action_id")
    assert plan.at["A003", "note"] == "培训讲师临时出差" and plan.at["A003", "extension_reason"] == "讲师11月返岗"
    assert plan.at["A003", "deadline"] == dt.datetime(2026, 10, 10)  # asked, not yet granted
    out = run_file("approve_extension", book, ctx(dt.datetime(2026, 10, 20)), actions=["A003"])
    assert out.exit_code == 0 and "2026-10-10 → 2026-11-30" in out.details[0]
    plan = table(book, schema.PLAN)
    assert plan.set_index("action_id").at["A003", "deadline"] == dt.datetime(2026, 11, 30)
    assert plan.set_index("action_id")["extension_to"].isna().all()
    log = table(book, schema.LOG)
    row = log[log["action"] == "approve_extension"].iloc[0]
    assert "批准延期" in set(shown_log(book)["操作"]) and "approve_extension" not in set(shown_log(book)["操作"])
    assert (row["row"], row["field"], row["old"], row["new"]) == ("A003", "完成期限", "2026-10-10", "2026-11-30")
    with FileBook(book) as b:  # a quarter judged before the approval keeps the deadline then in force
        early = deadlines_in_force(b, plan, pd.Timestamp("2026-10-15")).set_index("action_id")
        late = deadlines_in_force(b, plan, pd.Timestamp("2026-10-25"))
    assert early.at["A003", "deadline_at_end"] == pd.Timestamp("2026-10-10")
    assert "deadline_at_end" not in late
    r = runner.invoke(cli, ["approve", str(book), "A001"])
    assert r.exit_code == 2 and "A001" in r.output


def test_the_department_workbook_says_what_a_department_needs_to_act(tmp_path):
    book = master(tmp_path)
    assert run_file("import_tickets", book, ctx(), path=SAMPLES / "tickets.csv").exit_code == 0
    outdir = tmp_path / "out"
    distribute(book, outdir)
    tech = openpyxl.load_workbook(sent_file(outdir, "技术部"))
    plan = tech["改进计划"]
    headers = [c.value for c in plan[1]]
    row = {h: plan.cell(row=2, column=i + 1) for i, h in enumerate(headers)}
    assert row["措施编号"].value == "A002"
    assert row["所属问题(措施针对的问题)"].value == "夜间物流咨询响应慢"  # the problem the action serves
    assert row["逾期天数"].value == 26 and row["逾期天数"].font.color.rgb.endswith("C00000")  # due 5 Sep, sent 1 Oct
    kpi = tech["KPI快照"]
    assert kpi["A2"].value == "统计期间:2026-09-01 至 2026-09-30(有工单的最近一个月)"
    assert kpi["A3"].value == "本部门本期无工单。"  # the sample's tickets name no 技术部
    service = openpyxl.load_workbook(sent_file(outdir, "客服中心"))
    assert service["KPI快照"]["A3"].value == "指标"  # its own KPIs, under the period
    cover = {r[0]: r[1] for r in service["填写说明"].iter_rows(min_row=3, max_row=8, values_only=True) if r[0]}
    assert cover["联系人"] == "质量监控部"  # the setting on 监控标准, not the login name
    assert getpass.getuser() not in cover.values()
    back = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name,
                lambda wb: put(wb["改进计划"], "A002", "完成证据", "开发中"))
    out = collect(book, back)  # the column to read by comes back and is no change
    assert out.exit_code == 0, out.details and out.data["files"][0]["applied"][0]["field"] == "evidence"


def test_an_action_collected_back_as_done_is_verified_at_once_or_waits_with_its_date(tmp_path):
    book = master(tmp_path)
    assert run_file("import_tickets", book, ctx(), path=SAMPLES / "tickets.csv").exit_code == 0
    outdir = tmp_path / "out"
    distribute(book, outdir)
    tech = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name,
                lambda wb: (put(wb["改进计划"], "A002", "状态", "已完成"),
                            put(wb["改进计划"], "A002", "实际完成日期", dt.datetime(2026, 8, 20))))
    service = fill(sent_file(outdir, "客服中心"), tmp_path / "back" / sent_file(outdir, "客服中心").name,
                   lambda wb: (put(wb["改进计划"], "A003", "状态", "已完成"),
                               put(wb["改进计划"], "A003", "实际完成日期", dt.datetime(2026, 9, 10))))
    out = collect(book, tech, service, accept=["A002"])  # A002 was overdue when sent: confirmed by the team
    plan = table(book, schema.PLAN).set_index("action_id")
    # A002: the four weeks after 20 August are in the data: verified in the same run, the sentence on the sheet
    assert plan.at["A002", "effect_result"].startswith("改进后首次响应SLA达成率由")
    assert "改进后2026-08-21至2026-09-17" in plan.at["A002", "effect_result"]
    assert any(line.startswith("措施A002:改进后") for line in out.details)
    # A003: the data end on 30 September, its after-window on 8 October
    assert plan.at["A003", "effect_result"] == "待验证:改进后窗口至2026-10-08结束,届时可验证"
    assert pd.isna(plan.at["A003", "effect_verified"])
