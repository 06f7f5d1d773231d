"""What only Excel would notice: file-format rules of ECMA-376 and MS-OVBA, and the ribbon's path.

No Excel runs here; each rule is checked in the files against its specification, and the
ribbon's Python side runs over the stand-in of xlwings' objects (``xlstandin``).
"""
import zipfile

import openpyxl
import pytest
from lxml import etree
from pyopenvba import ExcelFile
from pyopenvba.cfb import CFB

from conftest import ROOT, parts, write_csv
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.build.vba import NO_CACHE
from pyaddin.registry import ACTIONS
from xlstandin import Book

# imageMso names seen in public ribbon definitions (customUI files of working add-ins), i.e. real icons
KNOWN_IMAGE_MSO = {"ImportTextFile", "ImportExcel", "ImportAccess", "DataValidation", "CalculateNow",
                   "ChartTypeColumnInsertGallery", "ConditionalFormattingMenu", "TableInsert", "ChartInsert",
                   "CalendarInsert", "ReviewAcceptChange", "FileSendAsAttachment", "FileOpen", "ReviewTrackChanges",
                   "FileSaveAsPdfOrXps", "DateAndTimeInsert", "Refresh", "HappyFace"}
BOOKS = [ROOT / "qualitybook.xlsm", ROOT / "templates" / "qualitybook_en.xlsm"]


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_vba_project_has_no_cache_and_crlf_sources(path):
    with zipfile.ZipFile(path) as z:
        cfb = CFB.from_bytes(z.read("xl/vbaProject.bin"))
    assert cfb.get_stream_in_storage("VBA", "_VBA_PROJECT") == NO_CACHE == bytes.fromhex("cc61ffff000100")
    with ExcelFile(path) as x:
        names = x.module_names()
        assert {"xlwings", "Dictionary", "QualityBook"} <= set(names)
        for name in names:
            code = x.get_module(name)
            assert "\n" in code and code.count("\n") == code.count("\r\n"), name


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_xlwings_configuration_ships_inactive(path):
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert "_xlwings.conf" in wb.sheetnames and "xlwings.conf" not in wb.sheetnames
    keys = [r[0].value for r in wb["_xlwings.conf"].iter_rows()]
    assert "Interpreter_Win" in keys and "QualityBook Executable" in keys
    with ExcelFile(path) as x:
        qb = x.get_module("QualityBook")
    assert '"_xlwings.conf"' in qb and '"xlwings.conf"' in qb  # our VBA reads either, active first


def test_every_ribbon_icon_is_a_known_image_mso():
    ui = etree.fromstring(parts(ROOT / "qualitybook.xlsm")["customUI/customUI14.xml"])
    icons = {b.get("imageMso") for b in ui.findall(".//{*}button")}
    assert icons <= KNOWN_IMAGE_MSO, icons - KNOWN_IMAGE_MSO
    assert {a.icon for a in ACTIONS.values() if a.ribbon} == icons


def test_table_column_names_are_unique_ignoring_case_and_clean(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "t.csv", '工单编号,创建时间,责任部门,Note,note,"First\nresponse",<x&y>\n'
                                        "T1,2026-09-01 08:00,客服中心,a,b,c,d\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        loc = b.locs["tbl_tickets"]
        table_xml = b.pkg.read(loc.table_part)
        sheet_xml = b.pkg.read(loc.sheet_part)
    names = loc.columns[-4:]
    assert names == ["Note", "note (2)", "First response", "<x&y>"]
    assert len({n.casefold() for n in loc.columns}) == len(loc.columns)
    etree.fromstring(table_xml)
    etree.fromstring(sheet_xml)  # header cells are XML-safe
    assert b"&lt;x&amp;y&gt;" in sheet_xml
    wb = openpyxl.load_workbook(book)
    assert [c.value for c in wb["工单数据"][1]][-4:] == names  # the header cells match the table's names


def test_a_text_longer_than_a_cell_is_an_error_and_rejects_are_shortened(book, runner, cli, tmp_path):
    long_note = "很长的处理记录" * 5000  # 35 000 characters
    src = write_csv(tmp_path / "t.csv", "工单编号,创建时间,责任部门,处理记录\n"
                                        f"T1,2026-09-01 08:00,客服中心,{long_note}\nT2,2026-09-01 09:00,客服中心,短\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1 and "32767" in r.output and "第2行" in r.output
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--keep-invalid"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        rejects = b.read(schema.REJECTS).data
        assert b.read(schema.TICKETS).data["ticket_id"].tolist() == ["T2"]
    record = rejects["record"].iloc[0]
    assert len(record) == 32767 and record.endswith("…[已截断]")  # the marker in the workbook's language


def test_a_write_drops_the_calculation_chain(book, runner, cli, tmp_path):
    withchain = tmp_path / "chain.xlsm"
    p = parts(book)
    p["xl/calcChain.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns='
                             b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B3" i="2"/></calcChain>')
    p["[Content_Types].xml"] = p["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.calcChain+xml"/></Types>')
    p["xl/_rels/workbook.xml.rels"] = p["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    with zipfile.ZipFile(withchain, "w") as z:
        for n, data in p.items():
            z.writestr(n, data)
    r = runner.invoke(cli, ["import", str(withchain), str(ROOT / "samples" / "surveys.csv"), "--into", "surveys"])
    assert r.exit_code == 0, r.output
    after = parts(withchain)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["[Content_Types].xml"] and b"calcChain" not in after["xl/_rels/workbook.xml.rels"]


def test_swapped_arguments_name_the_file_that_is_not_a_workbook(book, runner, cli):
    export = ROOT / "samples" / "inspections.xlsx"
    r = runner.invoke(cli, ["import", str(export), str(book), "--into", "inspections"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "inspections.xlsx" in r.output and "不是 QualityBook 工作簿" in r.output
    r = runner.invoke(cli, ["--lang", "en", "kpi", str(ROOT / "samples" / "tickets.csv")])
    assert r.exit_code == 2 and "tickets.csv" in r.output and "not a QualityBook workbook" in r.output


def ribbon(book_path, monkeypatch):
    """The ribbon's way in: xw.Book.caller() is the stand-in of the open workbook."""
    import xlwings as xw

    xl = Book.from_file(book_path)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: xl))
    return xl


def test_run_exits_0_after_showing_its_message_even_when_the_action_fails(book, runner, cli, monkeypatch):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["工单数据"]
    ws["A2"], ws["B2"], ws["D2"] = "T1", "昨天", "客服中心"  # a pasted date nobody can read
    wb.save(book)
    xl = ribbon(book, monkeypatch)
    r = runner.invoke(cli, ["run", "kpi", f"--wb={book.name}", "--from_xl=1", "--app=EXCEL.EXE", "--hwnd=1"])
    assert r.exit_code == 0, r.output  # xlwings would show a second, empty error box otherwise
    title, message = xl.app.alerts[-1]
    assert title == "QualityBook 出错" and "Traceback" not in message
    assert "KPI未计算" in message and "第2行" in message


def test_the_ribbon_asks_yes_no_before_importing_only_the_valid_rows(book, tmp_path, monkeypatch):
    from pyaddin.excel import run_action

    src = write_csv(tmp_path / "t.csv", "工单编号,创建时间,责任部门\nT1,2026-09-01 08:00,客服中心\nT2,昨天,客服中心\n")
    xl = ribbon(book, monkeypatch)
    xl.app.api.opened = [str(src)]
    xl.app.answers = ["no"]
    assert run_action("import_tickets") == 1
    question, refusal = xl.app.alerts[-2][1], xl.app.alerts[-1][1]
    assert "是否导入其余1行" in question and "导入错误" in question
    assert "--keep-invalid" not in refusal and "选“是”" in refusal
    assert xl.sheet("工单数据").cells.get((2, 1)) is None  # nothing written
    xl.app.api.opened = [str(src)]
    xl.app.answers = ["yes"]
    assert run_action("import_tickets") == 0
    assert xl.sheet("工单数据").cells[(2, 1)] == "T1"
    rejects = xl.sheet("导入错误")
    assert any(v == "T2" or (isinstance(v, str) and "T2" in v) for v in rejects.cells.values())


def test_cli_messages_name_the_flag(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "t.csv", "工单编号,创建时间,责任部门\nT1,2026-09-01 08:00,客服中心\nT2,昨天,客服中心\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1 and "--keep-invalid" in r.output


def test_the_excel_log_sheet_gets_a_row_from_the_ribbon(book, monkeypatch):
    from pyaddin.excel import run_action

    xl = ribbon(book, monkeypatch)
    xl.app.api.opened = [str(ROOT / "samples" / "surveys.csv")]
    assert run_action("import_surveys") == 0
    log = xl.sheet("操作日志")
    assert any(v == "导入满意度" for v in log.cells.values())  # the button's name, not the action's key
    assert "surveys.csv:追加1077行。" in " ".join(str(v) for v in log.cells.values())


def test_distributing_from_excel_saves_the_batch_record_and_refuses_a_read_only_book(book, tmp_path, monkeypatch):
    from pyaddin.context import Context
    from pyaddin.excel import run_action
    from pyaddin.runner import run_file

    plan = "措施编号,问题编号,改进措施,负责人,责任部门,完成期限,状态\nA001,P001,设物流专岗,赵,客服中心,2026-12-01,计划中\n"
    problems = "问题编号,问题描述,来源,责任部门,状态\nP001,物流类响应慢,手工,客服中心,待分析\n"
    for key, text in (("problems", problems), ("plan", plan)):
        assert run_file(f"import_{key}", book, Context(), path=write_csv(tmp_path / f"{key}.csv", text)).exit_code == 0
    out = tmp_path / "sent"
    xl = ribbon(book, monkeypatch)
    xl.api.ReadOnly = True
    xl.app.api.folders = [str(out)]
    assert run_action("distribute") == 2
    assert "只读" in xl.app.alerts[-1][1] and not out.exists()  # refused before any department file
    xl.api.ReadOnly, xl.api.Saved = False, False  # the user has unsaved changes
    xl.app.answers = ["no"]
    assert run_action("distribute") == 0 and not out.exists() and xl.api.saves == 0
    assert "尚未保存的修改" in xl.app.alerts[-2][1]
    xl.app.answers = ["yes"]
    assert run_action("distribute") == 0
    assert [p.name.split("_", 1)[1] for p in out.iterdir()] == ["客服中心.xlsx"]
    assert xl.api.saves == 1  # the batch record is saved by the action itself
    assert any(isinstance(v, str) and v.startswith("B2") for v in xl.sheet("下发回收").cells.values())


def test_a_renamed_table_ends_in_the_projects_own_message_box(book, monkeypatch):
    """The gateway is opened inside the error handling: no xlwings error window, no traceback."""
    from pyaddin.excel import run_action

    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["工单数据"]
    t = ws.tables.pop("tbl_tickets")
    t.name = t.displayName = "表1"  # what a user's rename in Excel leaves
    ws.add_table(t)
    wb.save(book)
    xl = ribbon(book, monkeypatch)
    assert run_action("kpi") != 0
    title, message = xl.app.alerts[-1]
    assert title == "QualityBook 出错" and "Traceback" not in message
    assert "tbl_tickets" in message and "改名" in message and "名称管理器" in message


class CloudBook(Book):
    """A book on OneDrive: Excel's FullName is an https address; xlwings' Book.fullname maps it to the synced
    folder, or raises its own error when it cannot find one."""

    local: str | None = None

    @property
    def fullname(self):
        if self.local is None:
            raise RuntimeError("Couldn't find your local OneDrive folder")
        return self.local

    @fullname.setter
    def fullname(self, value):
        pass


def _cloud(book_path, monkeypatch, local):
    import xlwings as xw

    xl = CloudBook.from_file(book_path)
    xl.__class__ = CloudBook
    xl.local = local
    xl.api.FullName = "https://d.docs.live.net/1a2b3c/Documents/质量/book.xlsm"
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: xl))
    return xl


def test_a_book_on_onedrive_writes_beside_its_synced_copy_or_says_what_to_set(book, monkeypatch, runner, cli):
    from pyaddin.excel import run_action

    assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"]).exit_code == 0
    xl = _cloud(book, monkeypatch, local=str(book))  # xlwings found the synced folder
    assert run_action("report") == 0, xl.app.alerts[-1]
    assert list(book.parent.glob(f"{book.stem}_report_*.html"))
    xl = _cloud(book, monkeypatch, local=None)  # it did not: the message says which setting to fill
    assert run_action("report") != 0
    title, message = xl.app.alerts[-1]
    assert title == "QualityBook 出错" and "d.docs.live.net" in message
    assert "ONEDRIVE_CONSUMER_WIN" in message and "SHAREPOINT_WIN" in message and "Traceback" not in message
