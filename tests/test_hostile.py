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
