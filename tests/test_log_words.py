"""操作日志 speaks the book's language (issue 20): an action shows as its ribbon button, a result as a word of the
book, the detail as a sentence of the book; the code reads the rows back as keys, from books written before as well
(keys stored as they were)."""
import re
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import ROOT, sample_book, write_csv
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.cli.main import cli
from pyaddin.locale import en, zh

# what the log wrote before: the actions' and results' keys and the English fragments of its details
KEYS = set(zh.ACTIONS) | set(zh.LOG_RESULTS)
OLD_WORDS = {"rows", "append", "replace", "rejected", "refused", "signals", "better", "breaches", "seed", "verified",
             "closed", "files", "changes", "as", "of", "alerts", "problems", "rootcause", "plan", "category", "to",
             "sla_clock", "working"}
FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|xlsx|xlsm|png)")


def log_rows(book, lang: str) -> list[dict]:
    """The log as its sheet shows it: header label → cell."""
    ws = openpyxl.load_workbook(book)[schema.LOG.sheet(lang)]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def run(*args) -> None:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    assert r.exit_code in (0, 1), r.output


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    """A Chinese book after the loop's actions: imports (one with a rejected row, one refused), settings, KPIs,
    alerts, the Pareto, problems, the plan checked and verified, an audit sample."""
    tmp = tmp_path_factory.mktemp("log")
    book = sample_book(tmp / "book.xlsm", ["config", "sla_clock=working"], ["kpi"], ["alerts"],
                       ["pareto", "--quarter", "2026Q3"], ["problems", "--quarter", "2026Q3"],
                       ["import", str(ROOT / "samples" / "rootcause.csv"), "--into", "rootcause"],
                       ["import", str(ROOT / "samples" / "plan.csv"), "--into", "plan"],
                       ["plan", "--as-of", "2026-10-01"], ["verify"],
                       ["sample", "--period", "2026-09", "--seed", "1"])
    bad = write_csv(tmp / "more.csv", "工单编号,创建时间,责任部门\nT-X1,2026-09-01 08:00,客服中心\nT-X2,昨天,客服中心\n")
    run("import", book, bad, "--into", "tickets", "--keep-invalid")  # one row in, one to 导入错误
    run("import", book, bad, "--into", "tickets", "--map", "责任部门=department")  # refused: the mapping is saved
    return book


def test_a_chinese_log_shows_buttons_results_and_sentences_in_chinese(chinese):
    rows = log_rows(chinese, "zh")
    buttons = {label for label, _ in zh.ACTIONS.values()}
    assert {r["操作"] for r in rows} <= buttons and {r["结果"] for r in rows} <= set(zh.LOG_RESULTS.values())
    assert {"部分导入", "已拒绝", "成功"} <= {r["结果"] for r in rows}  # each result the flow produced
    assert {"设置参数", "计算KPI", "预警检查", "帕累托分析", "加入问题清单", "检查计划", "效果验证", "抽样"} <= {
        r["操作"] for r in rows}
    found = set()
    for r in rows:
        assert re.search(r"[\u4e00-\u9fff]", r["详情"]), r  # a sentence of the book, not a fragment
        for header, cell in r.items():
            if header == "操作人" or not isinstance(cell, str):  # the login name is the person's own
                continue
            found |= {t for t in re.findall(r"[A-Za-z_]+", FILE_NAME.sub("", cell)) if t in KEYS | OLD_WORDS}
    assert not found, found
    details = " ".join(r["详情"] for r in rows)
    assert "more.csv:追加1行。1行有问题,已写入“导入错误”表。" in details and "more.csv:发现" in details
    assert "按“问题类别”统计2026-07-01至2026-09-30" in details and "SLA计时方式" in details
    assert "截至2026-10-01:已检查" in details and "随机种子1" in details


def test_the_code_reads_the_chinese_log_back_as_keys(chinese):
    with FileBook(chinese) as b:
        log = b.read(schema.LOG)
    assert log.issues == []
    assert {"import_tickets", "config", "kpi", "alerts", "pareto", "problems", "plan", "verify", "sample"} <= set(
        log.data["action"])
    assert set(log.data["result"]) == {"ok", "partial", "refused"}


def test_an_english_log_shows_english_labels(tmp_path):
    book = tmp_path / "book_en.xlsm"
    shutil.copy(ROOT / "templates" / "qualitybook_en.xlsm", book)
    run("import", book, ROOT / "samples" / "tickets.csv", "--into", "tickets")
    run("kpi", book)
    rows = log_rows(book, "en")
    assert [(r["Action"], r["Result"]) for r in rows] == [("Import tickets", "Done"), ("Compute KPIs", "Done")]
    assert rows[0]["Detail"] == "tickets.csv: 4000 row(s) appended."
    assert rows[1]["Detail"].startswith("As of ") and "KPIs for 2026-09-01 to 2026-09-30" in rows[1]["Detail"]
    assert not re.search(r"[\u4e00-\u9fff]", " ".join(str(v) for r in rows for v in r.values()))


def test_a_log_written_by_an_earlier_version_reads_the_same(tmp_path):
    """Keys as an earlier version stored them, and labels of either language, all read back as keys."""
    book = tmp_path / "old.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb[schema.LOG.sheet("zh")]
    cells = [("approve_extension", "ok"), ("collect", "partly"), ("批准延期", "成功"), ("Collect back", "Partly accepted"),
             ("import_tickets", "partial"), ("导入工单", "Refused")]
    for i, (action, result) in enumerate(cells, start=2):
        ws.cell(row=i, column=3, value=action)
        ws.cell(row=i, column=6, value=result)
    ws.tables["tbl_log"].ref = f"A1:{ws.tables['tbl_log'].ref.split(':')[1][0]}{len(cells) + 1}"
    wb.save(book)
    with FileBook(book) as b:
        log = b.read(schema.LOG)
    assert log.issues == []
    assert list(zip(log.data["action"], log.data["result"])) == [
        ("approve_extension", "ok"), ("collect", "partly"), ("approve_extension", "ok"), ("collect", "partly"),
        ("import_tickets", "partial"), ("import_tickets", "refused")]


def test_no_label_of_one_action_is_the_key_or_label_of_another():
    """A label read back must name one action only (an English button 'Pareto' is the key 'pareto' itself)."""
    for enum in (schema.LOG_ACTION, schema.LOG_RESULT):
        spellings = {}
        for key, zh_label, en_label in enum.members:
            for s in {schema.norm(key), schema.norm(zh_label), schema.norm(en_label)}:
                assert spellings.setdefault(s, key) == key, (s, key, spellings[s])
    assert set(en.LOG_RESULTS) == set(zh.LOG_RESULTS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_log_prints_one_page_wide_with_its_header_on_every_page(chinese, tmp_path, lang):
    """操作日志 printed as the other lists are: A4 landscape, fitted one page wide and as many tall as it needs, its
    header row repeated on every page (the workbook's _xlnm.Print_Titles for that sheet), the sheet's name above and
    the page numbers below; the actions that append to it keep all of that."""
    import zipfile

    from lxml import etree
    from openpyxl.utils import quote_sheetname

    book = chinese if lang == "zh" else ROOT / "templates" / "qualitybook_en.xlsm"
    wb = openpyxl.load_workbook(book)
    sheet = schema.LOG.sheet(lang)
    ws = wb[sheet]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert ws.oddHeader.center.text == "&A" and ws.oddFooter.center.text == "&P / &N"
    with zipfile.ZipFile(book) as z:
        names = etree.fromstring(z.read("xl/workbook.xml"))
    ns = {"m": names.nsmap[None]}
    titles = {n.get("localSheetId"): n.text for n in names.findall("m:definedNames/m:definedName", ns)
              if n.get("name") == "_xlnm.Print_Titles"}
    assert titles[str(wb.sheetnames.index(sheet))] == f"{quote_sheetname(sheet)}!$1:$1"
    assert len(log_rows(book, lang)) > 3 or lang == "en"  # the Chinese book after its actions: rows were appended
