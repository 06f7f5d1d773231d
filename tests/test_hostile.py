"""Hostile input and failing machines (issue 18): nothing from the data runs in a file we write, returns
cannot exhaust the machine, a crash or a full disk leaves the old or the new data."""
import csv
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT, write_csv
from pyaddin.inert import formula, save_workbook

EVIL_LINK = '=HYPERLINK("http://evil.example/x","点此查看")'
EVIL_DEPT = "=1+2"
EVIL_AGENT = "@SUM(1+1)*cmd|' /C calc'!A0"


def formulas_in(path: Path) -> list[str]:
    """Every formula stored in any worksheet of an .xlsx, as its text."""
    with zipfile.ZipFile(path) as z:
        return [f for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
                for f in re.findall(r"<f(?:\s[^>]*)?>([^<]*)</f>", z.read(n).decode("utf-8"))]


def texts_in(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.data_type == "s"}


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    """The sample data with the biggest category a live link, a department and an agent that look like formulas."""
    from click.testing import CliRunner

    from pyaddin.cli.main import cli

    d = tmp_path_factory.mktemp("hostile")
    t = pd.read_csv(ROOT / "samples" / "tickets.csv", dtype=str, encoding="utf-8-sig")
    top = t["问题类别"].value_counts().index[0]
    t.loc[t["问题类别"] == top, "问题类别"] = EVIL_LINK
    t.loc[t["责任部门"] == "物流配送部", "责任部门"] = EVIL_DEPT
    busiest = t["处理人"].value_counts().index[0]
    t.loc[t["处理人"] == busiest, "处理人"] = EVIL_AGENT
    t.to_csv(d / "tickets.csv", index=False, encoding="utf-8-sig")
    book = d / "book.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    r = CliRunner()
    for path, into in ((d / "tickets.csv", "tickets"), (ROOT / "samples" / "surveys.csv", "surveys"),
                       (ROOT / "samples" / "inspections.xlsx", "inspections")):
        res = r.invoke(cli, ["import", str(book), str(path), "--into", into, "--keep-invalid"])
        assert res.exit_code in (0, 1), res.output
    return book


def test_the_report_writes_a_category_that_looks_like_a_formula_as_text(hostile_book, runner, cli, tmp_path):
    out = tmp_path / "report.xlsx"
    r = runner.invoke(cli, ["report", str(hostile_book), "--period", "2026-09", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert formulas_in(out) == []
    assert EVIL_LINK in texts_in(out)  # the Pareto's first category, shown as typed


def test_the_appraisal_workbook_writes_department_and_agent_names_as_text(hostile_book, runner, cli, tmp_path):
    out = tmp_path / "考核.xlsx"
    r = runner.invoke(cli, ["appraise", str(hostile_book), "--quarter", "2026Q3", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert formulas_in(out) == []
    assert {EVIL_DEPT, EVIL_AGENT} <= texts_in(out)


def test_department_workbooks_write_names_as_text_and_their_file_names_start_safely(tmp_path):
    from test_departments import ctx

    from pyaddin.runner import run_file

    book = tmp_path / "master.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    names = [EVIL_DEPT, "+SUM(1)", "-2+3", "@A1", ".hidden", "..", "=HYPERLINK(\"x\")"]
    problems = write_csv(tmp_path / "problems.csv", "问题编号,问题描述,来源,责任部门,状态,影响程度,发生频率\n" + "".join(
        f'P{i:03d},问题{i},手工,"{n.replace(chr(34), chr(34) * 2)}",待分析,2,2\n' for i, n in enumerate(names, 1)))
    assert run_file("import_problems", book, ctx(), path=problems).exit_code == 0
    out = run_file("distribute", book, ctx(), outdir=tmp_path / "out", deadline="2026-10-15")
    assert out.exit_code == 0, out.details
    files = [Path(f["file"]) for f in out.data["files"]]
    assert len(files) == len(names)
    for f in files:
        assert not f.name.startswith(("=", "+", "-", "@", ".")) and f.parent == tmp_path / "out"
        assert formulas_in(f) == []
    shown = set().union(*(texts_in(f) for f in files))
    assert set(names) <= shown  # on the cover, as written
    assert any(EVIL_DEPT in s and s != EVIL_DEPT for s in shown)  # inside a title (cover, KPI sheet): text too


def test_our_own_formulas_stay_formulas_and_nothing_else_becomes_one(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([1, 2, EVIL_LINK])
    ws["D1"] = "=A1+B1"  # not written through formula(): data, whatever it looks like
    formula(ws, "E1", "=SUM(A1:B1)")
    save_workbook(wb, tmp_path / "x.xlsx")
    assert formulas_in(tmp_path / "x.xlsx") == ["SUM(A1:B1)"]
    assert {EVIL_LINK, "=A1+B1"} <= texts_in(tmp_path / "x.xlsx")


def test_no_module_saves_an_openpyxl_workbook_around_the_helper():
    """Only the helper saves; the build writes the workbook and templates from the schema alone (no data)."""
    allowed = {"inert.py", "build/workbook.py", "build/vba.py"}
    found = [str(p.relative_to(ROOT / "pyaddin")) for p in (ROOT / "pyaddin").rglob("*.py")
             if re.search(r"\bwb\.save\(|\bworkbook\.save\(", p.read_text(encoding="utf-8"))]
    assert set(found) <= allowed, found


def test_the_errors_csv_writes_values_that_look_like_formulas_so_they_cannot_run(book, runner, cli, tmp_path):
    src = tmp_path / "t.csv"
    src.write_text("工单编号,创建时间,渠道,责任部门\n"
                   "T1,=cmd|' /C calc'!A0,电话,客服中心\n"
                   "T2,+1+1,电话,客服中心\n"
                   "T3,-2+3,电话,客服中心\n"
                   "T4,@SUM(1),电话,客服中心\n"
                   "T5,2026-09-01 08:00,电话,客服中心\n", encoding="utf-8")
    errors = tmp_path / "problems.csv"
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--errors", str(errors)])
    assert r.exit_code == 1, r.output
    with open(errors, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    values = [row[3] for row in rows[1:]]
    assert {"'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", "'@SUM(1)"} <= set(values), values
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row)


# --------------------------------------------------------------------------- returns that cannot exhaust the machine

from test_departments import collect, distribute, fill, master, sent_file, sha, table, tech_done  # noqa: E402

from pyaddin import schema  # noqa: E402
from pyaddin.departments import returned  # noqa: E402

PLAN_PART = "xl/worksheets/sheet4.xml"  # 改进计划, the fourth sheet of a department's workbook


@pytest.fixture
def sent(tmp_path):
    """A master with its worklists, and the workbooks it sent to the departments."""
    book = master(tmp_path)
    distribute(book, tmp_path / "out")
    return book, tmp_path / "out"


def rewrite(src: Path, dst: Path, change, extra: dict | None = None) -> Path:
    """A copy of a return with some parts changed (``change(name, data) -> data``) and some added."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for i in a.infolist():
            z.writestr(i.filename, change(i.filename, a.read(i)))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return dst


def in_plan(xml: bytes):
    """A change to the plan sheet only: ``xml`` goes in place of the end of its sheetData."""
    return lambda name, data: data.replace(b"</sheetData>", xml + b"</sheetData>") if name == PLAN_PART else data


@pytest.mark.parametrize("xml", [
    b'<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>',
    b'<row r="40"><c r="ZZZZZZZZZ40"><v>1</v></c></row>',
    b'<row r="40"><c r="XFE40"><v>1</v></c></row>',
    b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>',
    b'<row r="40"><c r="A99999999"><v>1</v></c></row>',
    b'<row r="abc"><c><v>1</v></c></row>',
    b'<row r="40"><c r="A-1"><v>1</v></c></row>',
], ids=["row 2e9", "column ZZZZZZZZZ", "column XFE", "row 1048577", "cell row beyond", "row abc", "ref A-1"])
def test_a_cell_beyond_excels_limits_is_refused_while_parsing(xml, sent, tmp_path):
    book, outdir = sent
    good = fill(sent_file(outdir, "技术部"), tmp_path / "good.xlsx", tech_done)
    bad = rewrite(good, tmp_path / "back" / good.name, in_plan(xml))
    with pytest.raises(returned.Refused) as e:
        returned.read_return(bad)
    assert e.value.key == "return_bad_cell" and e.value.kw["sheet"] == "改进计划"


def test_a_malformed_return_is_refused_and_the_good_one_beside_it_is_collected(sent, tmp_path):
    book, outdir = sent
    good = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, tech_done)
    qa = fill(sent_file(outdir, "质检部"), tmp_path / "q.xlsx", lambda wb: None)
    bad = rewrite(qa, tmp_path / "back" / sent_file(outdir, "质检部").name, in_plan(b'<row r="abc"><c><v>1</v></c></row>'))
    out = collect(book, tmp_path / "back")
    files = {f["file"]: f for f in out.data["files"]}
    assert files[good.name]["status"] == "accepted" and files[good.name]["applied"]
    assert files[bad.name]["status"] == "refused" and "改进计划" in files[bad.name]["reason"]
    assert "row r=abc" in files[bad.name]["reason"]
    assert table(book, schema.PLAN).set_index("action_id").at["A002", "progress_pct"] == 100


def random_text(n: int) -> bytes:
    import random

    rnd = random.Random(n)
    return bytes(rnd.choice(b"abcdefgh") for _ in range(1 << 16)) * (n // (1 << 16))


def test_a_part_larger_than_the_stated_limit_is_refused_before_it_is_parsed(sent, tmp_path):
    book, outdir = sent
    good = fill(sent_file(outdir, "技术部"), tmp_path / "good.xlsx", tech_done)
    pad = b"<!--" + random_text(returned.MAX_PART) + b"-->"
    bad = rewrite(good, tmp_path / "back" / good.name, in_plan(pad))
    assert bad.stat().st_size < returned.MAX_FILE  # it passes the file's own size limit
    before = sha(book)
    out = collect(book, bad)
    f = out.data["files"][0]
    assert f["status"] == "refused" and "16 MB" in f["reason"] and PLAN_PART in f["reason"]
    assert sha(book) == before


@pytest.mark.parametrize("shape", ["one comment", "many comments", "many rows"])
def test_parsing_time_grows_linearly_with_the_part(shape, sent, tmp_path):
    """1, 2, 4 and 8 MB: each doubling about doubles the time (a quadratic parse would quadruple it)."""
    import time

    book, outdir = sent
    good = fill(sent_file(outdir, "技术部"), tmp_path / "good.xlsx", tech_done)
    times = {}
    for mb in (1, 2, 4, 8):
        blob = random_text(mb << 20)
        if shape == "one comment":
            xml = b"<!--" + blob + b"-->"
        elif shape == "many comments":
            xml = b"".join(b"<!--" + blob[k:k + 60] + b"-->" for k in range(0, len(blob), 67))
        else:
            xml = b"".join(b'<row r="%d"><c r="C%d"><v>1</v></c></row>' % (k, k) for k in range(50, 50 + len(blob) // 42))
        part = rewrite(good, tmp_path / f"{mb}.xlsx", in_plan(xml))
        runs = []
        for _ in range(2 if shape == "many rows" else 7):  # the fastest of several: a busy machine preempts a 10 ms run
            t = time.perf_counter()
            returned.read_return(part)
            runs.append(time.perf_counter() - t)
        times[mb] = min(runs)
    assert times[8] / times[2] < 8, times  # linear: about 4; quadratic: about 16
    assert times[8] / times[1] < 20, times  # linear: about 8; quadratic: about 64


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_a_return_whose_plan_sheet_was_renamed_or_deleted_is_refused_naming_it(how, sent, tmp_path):
    book, outdir = sent

    def edit(wb):
        tech_done(wb)
        if how == "renamed":
            wb["改进计划"].title = "计划"
        else:
            del wb["改进计划"]
    bad = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, edit)
    before = sha(book)
    out = collect(book, bad)
    f = out.data["files"][0]
    assert out.exit_code == 1 and f["status"] == "refused" and "改进计划" in f["reason"], f
    assert sha(book) == before


def test_pipes_devices_and_links_to_them_are_refused_without_being_opened(sent, tmp_path):
    import os
    import signal

    book, outdir = sent
    back = tmp_path / "back"
    back.mkdir()
    os.mkfifo(back / "B20261001-1_技术部.xlsx")  # opening it for reading would wait for a writer for ever
    (back / "zero.xlsx").symlink_to("/dev/zero")  # reading it would never end
    good = fill(sent_file(outdir, "质检部"), back / sent_file(outdir, "质检部").name,
                lambda wb: put_progress(wb, "质检部"))
    signal.alarm(60)
    try:
        out = collect(book, back, "/dev/zero", "/dev/null")
    finally:
        signal.alarm(0)
    files = {f["file"]: f for f in out.data["files"]}
    for name in ("B20261001-1_技术部.xlsx", "zero.xlsx", "zero", "null"):
        assert files[name]["status"] == "refused" and "不是普通文件" in files[name]["reason"], files[name]
    assert files[good.name]["status"] != "refused"


def put_progress(wb, department):
    from test_departments import put

    ws = wb["改进计划"]
    item = ws.cell(row=2, column=1).value
    put(ws, item, "进度%", 90)


@pytest.mark.parametrize("how", ["OLE part under an image's name", "content type", "macro sheet"])
def test_a_vba_project_under_another_part_name_is_refused_as_a_macro(how, sent, tmp_path):
    book, outdir = sent
    good = fill(sent_file(outdir, "技术部"), tmp_path / "good.xlsx", tech_done)
    target = tmp_path / "back" / good.name
    if how == "OLE part under an image's name":
        rewrite(good, target, lambda n, d: d, {"xl/media/image1.png": returned.OLE_MAGIC + b"\0" * 512})
    elif how == "content type":
        types = b'<Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject"/>'
        rewrite(good, target, lambda n, d: d.replace(b"<Default ", types + b"<Default ", 1)
                if n == "[Content_Types].xml" else d, {"xl/data.dat": b"not ole, but declared a vba project"})
    else:
        types = b'<Override PartName="/xl/macrosheets/m1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>'
        rewrite(good, target, lambda n, d: d.replace(b"</Types>", types + b"</Types>")
                if n == "[Content_Types].xml" else d, {"xl/macrosheets/m1.xml": b"<xm:macrosheet/>"})
    out = collect(book, target)
    f = out.data["files"][0]
    assert f["status"] == "refused" and "含宏" in f["reason"], f


def test_file_names_are_printed_with_control_characters_escaped_and_skipped_files_are_said(sent, tmp_path,
                                                                                            runner, cli):
    book, outdir = sent
    back = tmp_path / "back"
    fill(sent_file(outdir, "技术部"), back / "B20261001-1_技术部\x1b[2J\r.xlsx", tech_done)
    shutil.copy(sent_file(outdir, "质检部"), back / ".hidden.xlsx")
    shutil.copy(sent_file(outdir, "质检部"), back / "~$owner.xlsx")
    r = runner.invoke(cli, ["collect", str(book), str(back)])
    assert "\x1b" not in r.output and "\r" not in r.output
    assert "B20261001-1_技术部\\x1b[2J\\x0d.xlsx" in r.output, r.output
    assert "已跳过隐藏文件或Excel临时文件:.hidden.xlsx" in r.output and "~$owner.xlsx" in r.output


# --------------------------------------------------------------------------- faults of the machine

import errno  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from pyaddin.ooxml import package  # noqa: E402

TICKETS = ROOT / "samples" / "tickets.csv"


def qualitybook(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pyaddin", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.mark.parametrize("kind", ["a folder", "a link to a device", "a dangling link"])
def test_a_lock_path_that_is_a_folder_or_a_link_is_a_clear_message_and_exit_2(kind, book):
    lock = book.with_name(f".~qb.{book.name}.lock")
    if kind == "a folder":
        lock.mkdir()
    else:
        lock.symlink_to("/dev/null" if kind == "a link to a device" else book.parent / "nowhere" / "x")
    before = book.read_bytes()
    r = qualitybook("import", book, TICKETS, "--into", "tickets")
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "锁文件" in r.stderr and lock.name in r.stderr and "FATAL" not in r.stderr, r.stderr
    assert book.read_bytes() == before


def test_a_read_only_folder_is_a_clear_message_and_exit_2(book, runner, cli, monkeypatch):
    """The tests run as root, whom no folder refuses: the refusal of the file system is injected."""
    def refuse(self, *a, **kw):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.lock_file))
    monkeypatch.setattr("pyaddin.lock.FileLock.acquire", refuse)
    r = runner.invoke(cli, ["import", str(book), str(TICKETS), "--into", "tickets"])
    assert r.exit_code == 2 and "不允许写入" in r.output and str(book.parent) in r.output, r.output
    monkeypatch.undo()
    real_access = os.access
    monkeypatch.setattr(package.os, "access", lambda p, mode: False if Path(p) == book.parent else real_access(p, mode))
    r = runner.invoke(cli, ["import", str(book), str(TICKETS), "--into", "tickets"])
    assert r.exit_code == 2 and "不允许写入" in r.output, r.output


def test_a_full_disk_while_saving_changes_nothing_and_says_so(book, runner, cli, monkeypatch):
    assert runner.invoke(cli, ["import", str(book), str(TICKETS), "--into", "tickets"]).exit_code == 0
    bak = book.with_name(book.name + ".bak")
    before, bak_before = book.read_bytes(), bak.read_bytes()
    real = package._stream_part

    def full(out, name, chunks, date_time):
        real(out, name, iter(list(chunks)[:1]), date_time)
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(package, "_stream_part", full)
    r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "surveys.csv"), "--into", "surveys"])
    assert r.exit_code == 2 and "磁盘已满" in r.output and "未做任何修改" in r.output, r.output
    assert "意外" not in r.output and "Traceback" not in r.output
    assert book.read_bytes() == before and bak.read_bytes() == bak_before
    assert not list(book.parent.glob(".qb-*.tmp"))


def test_a_full_disk_while_writing_the_backup_keeps_the_last_good_backup(book, runner, cli, monkeypatch):
    assert runner.invoke(cli, ["import", str(book), str(TICKETS), "--into", "tickets"]).exit_code == 0
    bak = book.with_name(book.name + ".bak")
    before, bak_before = book.read_bytes(), bak.read_bytes()

    def half_copy(src, dst, **kw):
        Path(dst).write_bytes(Path(src).read_bytes()[:1000])
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(package.shutil, "copy2", half_copy)
    r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "surveys.csv"), "--into", "surveys"])
    assert r.exit_code == 2 and "磁盘已满" in r.output, r.output
    assert book.read_bytes() == before and bak.read_bytes() == bak_before  # never a truncated backup
    assert not list(book.parent.glob(".qb-*.tmp"))


def test_the_backup_and_the_workbook_are_flushed_to_disk_before_their_rename(book, runner, cli, monkeypatch):
    assert runner.invoke(cli, ["import", str(book), str(TICKETS), "--into", "tickets"]).exit_code == 0
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", str(src), str(dst)))
        return real_replace(src, dst)
    monkeypatch.setattr(package.os, "fsync", fsync)
    monkeypatch.setattr(package.os, "replace", replace)
    r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "surveys.csv"), "--into", "surveys"])
    assert r.exit_code == 0, r.output
    # the book and its backup (the columnar copies beside it are caches, rebuilt from the book if lost)
    renames = [e for e in events if e[0] == "replace" and Path(e[2]).parent == book.parent]
    assert [Path(e[2]).name for e in renames] == [book.name + ".bak", book.name]
    for _, src, dst in renames:
        assert Path(src).name.startswith(".qb-") and src != dst  # written under a temporary name
        flushed = events.index(("fsync", str(Path(src).resolve())))
        assert flushed < events.index(("replace", src, dst))
    assert ("fsync", str(book.parent.resolve())) in events  # and the rename itself made durable


# --------------------------------------------------------------------------- exports as they come

HEAD = "工单编号,创建时间,渠道,责任部门"
TWO = ["T1,2026-09-01 08:00,电话,客服中心", "T2,2026-09-02 08:00,电话,客服中心"]


def import_file(runner, cli, book, path, *more):
    return runner.invoke(cli, ["import", str(book), str(path), "--into", "tickets", *more])


def imported_ids(book) -> list:
    from pyaddin.book import FileBook

    with FileBook(book) as b:
        return list(b.read(schema.TICKETS).data["ticket_id"])


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\r"), ("utf-32", "\n"), ("utf-32-le", "\n"),
                                              ("utf-32-be", "\r\n"), ("utf-16-le", "\n"), ("utf-16", "\r")])
def test_line_endings_and_wide_encodings_are_read(encoding, newline, book, runner, cli, tmp_path):
    src = tmp_path / "t.csv"
    src.write_bytes(newline.join([HEAD, *TWO, ""]).encode(encoding))
    r = import_file(runner, cli, book, src)
    assert r.exit_code == 0, r.output
    assert imported_ids(book) == ["T1", "T2"]


def test_big5_is_recognised_not_read_as_gbk_garbage(book, runner, cli, tmp_path):
    src = tmp_path / "big5.csv"
    src.write_bytes("\n".join(["工單編號,創建時間,渠道,責任部門"] + [f"T{i},2026-09-01 08:00,電話,客服中心" for i in range(30)])
                    .encode("big5"))
    r = import_file(runner, cli, book, src, "--map", "工單編號=ticket_id", "--map", "創建時間=created_at",
                    "--map", "責任部門=department", "--value", "channel:電話=phone")
    assert r.exit_code == 0, r.output
    assert len(imported_ids(book)) == 30


def test_a_lone_surrogate_in_utf16_is_an_error_of_its_cell(book, runner, cli, tmp_path):
    src = tmp_path / "u16.csv"
    src.write_bytes("\n".join([HEAD, "T1,2026-09-01 08:00,电话,客服\ud800中心", TWO[1], ""]).encode("utf-16", "surrogatepass"))
    errors = tmp_path / "problems.csv"
    r = import_file(runner, cli, book, src, "--errors", str(errors))
    assert r.exit_code == 1 and "孤立代理项" in r.output, r.output
    with open(errors, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[1:]
    assert [(row[1], row[2], row[3]) for row in rows] == [("2", "责任部门", "客服\\ud800中心")]
    r = import_file(runner, cli, book, src, "--keep-invalid")  # the good row goes in, the bad one to 导入错误
    assert r.exit_code == 0, r.output
    assert imported_ids(book) == ["T2"]


def test_a_header_row_longer_than_the_first_look_is_read_whole_without_a_pandas_warning(book, tmp_path):
    """A header row beyond the first 64 KB read of a CSV (2 000 long column names: the read grows until it holds
    the whole row; every column is kept)."""
    from pyaddin import sources

    extra = [f"extra_{i:05d}_{'一线反馈补充说明' * 3}" for i in range(2_000)]
    src = tmp_path / "wide.csv"
    src.write_text(",".join(HEAD.split(",") + extra) + "\n" + ",".join(TWO[0].split(",") + ["v"] * 2_000) + "\n",
                   encoding="utf-8")
    assert len(src.read_bytes().split(b"\n")[0]) > sources.HEAD_BYTES
    r = qualitybook("import", book, src, "--into", "tickets")
    assert r.returncode == 0, r.stderr
    assert "Warning" not in r.stderr and "Warning" not in r.stdout, r.stderr[:500]
    with zipfile.ZipFile(book) as z:
        table = next(z.read(n) for n in z.namelist() if n.startswith("xl/tables/") and b'"tbl_tickets"' in z.read(n))
    assert table.count(b"<tableColumn ") >= 2_000 and f'name="{extra[-1]}"'.encode() in table


def test_a_header_row_beyond_the_limit_is_refused_naming_it(book, runner, cli, tmp_path):
    from pyaddin import sources

    src = tmp_path / "huge.csv"
    src.write_bytes(HEAD.encode() + b"," + b"x," * (sources.MAX_HEAD // 2))
    before = book.read_bytes()
    r = import_file(runner, cli, book, src)
    assert r.exit_code == 2 and "16 MB" in r.output, r.output
    assert book.read_bytes() == before


def export(folder: Path, kind: str, rows: list[list[str]]) -> Path:
    """An export as a CSV or as a workbook (where openpyxl stores "#N/A" and its like as error cells)."""
    src = folder / f"export.{kind}"
    if kind == "csv":
        src.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(src)
    return src


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_duplicate_headers_are_said(kind, book, runner, cli, tmp_path):
    src = export(tmp_path, kind, [HEAD.split(",") + ["工单编号"], TWO[0].split(",") + ["X1"]])
    r = import_file(runner, cli, book, src)
    assert r.exit_code == 0, r.output
    assert "列名“工单编号”出现了不止一次:第5列另存为“工单编号" in r.output, r.output
    assert imported_ids(book) == ["T1"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_error_cells_are_reported_as_errors_not_as_missing_values(kind, book, runner, cli, tmp_path):
    src = export(tmp_path, kind, [HEAD.split(","), TWO[0].split(","), ["T2", "#N/A", "电话", "#REF!"],
                                  ["T3", "2026-09-01 08:00", "#VALUE!", "客服中心"]])
    errors = tmp_path / "problems.csv"
    r = import_file(runner, cli, book, src, "--errors", str(errors))
    assert r.exit_code == 1, r.output
    with open(errors, encoding="utf-8-sig", newline="") as f:
        found = sorted((row[1], row[2], row[3]) for row in list(csv.reader(f))[1:])
    assert found == [("3", "创建时间", "#N/A"), ("3", "责任部门", "#REF!"), ("4", "渠道", "#VALUE!")]
    assert "必填项为空" not in r.output


def test_a_file_that_breaks_the_reading_unforeseen_is_refused_alone_and_undone(sent, tmp_path, monkeypatch):
    from pyaddin.departments import merge

    book, outdir = sent
    good = fill(sent_file(outdir, "技术部"), tmp_path / "back" / sent_file(outdir, "技术部").name, tech_done)

    def qa_done(wb):
        put_progress(wb, "质检部")
    odd = fill(sent_file(outdir, "质检部"), tmp_path / "back" / sent_file(outdir, "质检部").name, qa_done)
    real = merge._merge_table

    def breaks_after_a_change(ret, t, *args):
        real(ret, t, *args)
        if t is schema.PLAN and ret.path == odd:
            raise ValueError("something no check foresaw")
    monkeypatch.setattr(merge, "_merge_table", breaks_after_a_change)
    out = collect(book, good, odd)
    files = {f["file"]: f for f in out.data["files"]}
    assert files[good.name]["status"] == "accepted" and files[good.name]["applied"]
    assert files[odd.name]["status"] == "refused" and "已损坏" in files[odd.name]["reason"]
    plan = table(book, schema.PLAN).set_index("action_id")
    assert plan.at["A002", "progress_pct"] == 100 and 90 not in set(plan["progress_pct"])  # nothing of the odd one


def test_a_full_disk_while_writing_a_report_leaves_no_truncated_file(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "报告"
    out = tmp_path / "report.xlsx"
    save_workbook(wb, out)
    before = out.read_bytes()

    def full(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 truncated")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(openpyxl.Workbook, "save", full)
    with pytest.raises(OSError):
        save_workbook(openpyxl.Workbook(), out)
    assert out.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
