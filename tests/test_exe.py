"""The packaged executable is built with PyInstaller and run: what the ribbon calls without a Python."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

pytestmark = pytest.mark.slow  # a PyInstaller build: minutes; `make test-all` and CI run it, `make test` not


@pytest.fixture(scope="module")
def exe(tmp_path_factory):
    import build_exe

    d = tmp_path_factory.mktemp("exe")
    return build_exe.build(d / "dist", d / "work")


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory, exe):
    p = tmp_path_factory.mktemp("exebook") / "book.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", p)
    for src, table in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        r = subprocess.run([str(exe), "import", str(p), str(ROOT / "samples" / src), "--into", table],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
    return p


def test_the_executable_shows_help_for_every_command(exe):
    r = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "kpi" in r.stdout and "import" in r.stdout and "run" in r.stdout
    r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "0." in r.stdout


def test_the_executable_computes_the_same_kpis_as_the_package(exe, demo_book, runner, cli, tmp_path):
    frozen = subprocess.run([str(exe), "kpi", str(demo_book), "--quarter", "2026Q3", "--as-of", "2026-10-01",
                             "--json"], capture_output=True, text=True, timeout=120)
    assert frozen.returncode == 0, frozen.stderr
    copy = tmp_path / "same.xlsm"
    shutil.copy(demo_book, copy)
    here = runner.invoke(cli, ["kpi", str(copy), "--quarter", "2026Q3", "--as-of", "2026-10-01", "--json"])
    assert here.exit_code == 0
    assert json.loads(frozen.stdout) == json.loads(here.output)
    assert json.loads(frozen.stdout)["overall"]["tickets"] == 4000


def test_the_executable_builds_a_new_workbook_with_its_vba(exe, tmp_path):
    target = tmp_path / "new.xlsm"
    r = subprocess.run([str(exe), "new", str(target)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    from pyopenvba import ExcelFile

    with ExcelFile(target) as x:
        assert {"QualityBook", "xlwings"} <= set(x.module_names())


def test_the_executable_run_command_without_excel_fails_gracefully(exe):
    r = subprocess.run([str(exe), "run", "kpi", "--wb=book.xlsm", "--from_xl=1"], capture_output=True, text=True,
                       timeout=60)
    assert "Traceback" not in r.stdout + r.stderr
    assert r.returncode == 1  # no Excel to call it here: a crash, said in words, with the log's path
    assert "qualitybook.log" in r.stderr


def test_a_department_head_runs_the_appraisal_with_the_executable_alone(exe, demo_book, runner, cli, tmp_path):
    out = tmp_path / "考核.xlsx"
    frozen = subprocess.run([str(exe), "appraise", str(demo_book), "--quarter", "2026Q3", "-o", str(out), "--json"],
                            capture_output=True, text=True, timeout=180)
    assert frozen.returncode == 0, frozen.stderr
    copy = tmp_path / "same.xlsm"
    shutil.copy(demo_book, copy)
    here = runner.invoke(cli, ["appraise", str(copy), "--quarter", "2026Q3", "--json"])
    assert here.exit_code == 0 and json.loads(frozen.stdout) == json.loads(here.output)
    assert out.exists() and out.stat().st_size > 5000


def test_the_executable_sends_to_departments_and_collects_a_return(exe, tmp_path):
    """The packaged program carries what the round trip needs (openpyxl's writer, defusedxml's parser)."""
    import openpyxl

    book = tmp_path / "book.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    problems = tmp_path / "problems.csv"
    problems.write_text("问题编号,问题描述,责任部门\nP001,夜间响应慢,客服中心\nP002,质检标准不一,质检部\n",
                        encoding="utf-8-sig")
    for src, table in ((problems, "problems"), (ROOT / "samples" / "plan.csv", "plan")):
        r = subprocess.run([str(exe), "import", str(book), str(src), "--into", table], capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr
    r = subprocess.run([str(exe), "distribute", str(book), str(tmp_path / "out"), "--json"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    sent = {f["department"]: f["file"] for f in json.loads(r.stdout)["files"]}
    wb = openpyxl.load_workbook(sent["技术部"])
    ws = wb["改进计划"]
    ws.cell(row=2, column=[c.value for c in ws[1]].index("进度%") + 1, value=75)
    wb.properties.lastModifiedBy = "张工"
    (tmp_path / "back").mkdir()
    wb.save(tmp_path / "back" / "t.xlsx")
    r = subprocess.run([str(exe), "collect", str(book), str(tmp_path / "back"), "--json"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["files"][0]["applied"] == [
        {"table": "plan", "id": "A002", "field": "progress_pct", "old": 60, "new": 75}]
