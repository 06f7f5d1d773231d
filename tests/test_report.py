"""Monitoring reports (issue 11): the .xlsx opens in LibreOffice without errors, the .html stands alone."""
import shutil
from html.parser import HTMLParser

import openpyxl
import pytest

from conftest import ROOT, libreoffice
from pyaddin.context import Context
from pyaddin.reports.content import trend_forecast
from pyaddin.runner import run_file


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from click.testing import CliRunner

    from pyaddin.cli.main import cli

    book = tmp_path_factory.mktemp("report") / "book.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    r = CliRunner()
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        assert r.invoke(cli, ["import", str(book), str(ROOT / "samples" / name), "--into", into]).exit_code == 0
    assert r.invoke(cli, ["problems", str(book), "--quarter", "2026Q3"]).exit_code == 0
    assert r.invoke(cli, ["import", str(book), str(ROOT / "samples" / "plan.csv"), "--into", "plan"]).exit_code == 0
    return book


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.links, self.headings, self.text = [], [], [], []
        self._h = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src", ""))
        for key in ("href", "src"):
            if key in a and tag != "img":
                self.links.append(a[key])
        self._h = tag in ("h1", "h2")

    def handle_data(self, data):
        self.text.append(data)
        if self._h:
            self.headings.append(data)

    def handle_endtag(self, tag):
        self._h = False


def test_the_html_report_is_one_file_with_every_image_embedded(demo, runner, cli, tmp_path):
    out = tmp_path / "report.html"
    r = runner.invoke(cli, ["report", str(demo), "--period", "2026-09", "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert len(page.images) == 2 and all(src.startswith("data:image/png;base64,") for src in page.images)
    assert page.links == [] and "http" not in out.read_text(encoding="utf-8").split("<body>")[1]
    text = "".join(page.text)
    for section in ("数据概览", "指标与目标", "主要问题", "典型案例", "逾期整改措施", "下期预测", "改进建议"):
        assert any(section in h for h in page.headings), section
    assert "好评" in text and "投诉" in text and "A002" in text  # good and bad cases; the overdue action
    assert "售后服务部最低" in text  # a recommendation drawn from the data, naming the department


def test_the_xlsx_report_opens_in_libreoffice_without_errors(demo, runner, cli, tmp_path):
    out = tmp_path / "report.xlsx"
    r = runner.invoke(cli, ["report", str(demo), "--quarter", "2026Q3", "-o", str(out)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    ws = wb["监控报告"]
    assert len(ws._charts) == 2 and ws.page_setup.orientation == "landscape" and ws.oddFooter.center.text
    cells = libreoffice("cells", out, "监控报告", "A1:F60")
    flat = [str(c) for row in cells for c in row]
    assert flat[0].startswith("服务质量监控报告") and not any(c.startswith("#") or "Err:" in c for c in flat)


def test_the_ribbon_writes_both_beside_the_workbook(demo, tmp_path):
    book = tmp_path / "b.xlsm"
    shutil.copy(demo, book)
    out = run_file("report", book, Context(surface="excel"))
    assert out.exit_code == 0
    assert {p.suffix for p in tmp_path.glob("b_report_*")} == {".xlsx", ".html"}


def test_in_excel_the_button_also_prints_the_report_to_pdf(demo, tmp_path):
    """Through Excel's own printing (xlwings' Book.to_pdf on the report opened in the same Excel), closed after."""
    from pyaddin.excel import excel_context, run_in_book
    from pyaddin.xlbook import XlBook
    from xlstandin import Book

    book = tmp_path / "b.xlsm"
    shutil.copy(demo, book)
    xl, shown = Book.from_file(book), []
    assert run_in_book("report", XlBook(xl), excel_context(xl.app), lambda m, t: shown.append(m)) == 0
    pdf = next(tmp_path.glob("b_report_*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF") and str(pdf) in shown[-1]
    (printed,) = xl.app.books.opened
    assert printed.fullname.endswith(".xlsx") and printed.closed


def test_when_excel_cannot_print_the_two_files_stand_and_the_message_says_so(demo, tmp_path):
    from pyaddin.excel import excel_context, run_in_book
    from pyaddin.xlbook import XlBook
    from xlstandin import Book

    book = tmp_path / "b.xlsm"
    shutil.copy(demo, book)
    xl, shown = Book.from_file(book), []
    xl.app.pdf_fails = "没有安装打印机"
    assert run_in_book("report", XlBook(xl), excel_context(xl.app), lambda m, t: shown.append(m)) == 0
    assert {p.suffix for p in tmp_path.glob("b_report_*")} == {".xlsx", ".html"}
    assert "PDF未能由Excel导出(没有安装打印机)" in shown[-1] and "导出 › PDF" in shown[-1]


def test_the_forecast_is_a_line_with_an_interval():
    import pandas as pd

    f = trend_forecast(pd.Series([80.0, 81.0, 82.0, 83.0, 84.0, 85.0]), 4)
    assert f["value"] == pytest.approx(85 + 2.5) and f["low"] == pytest.approx(f["high"]) == f["value"]
    noisy = trend_forecast(pd.Series([80.0, 83.0, 81.0, 84.0, 82.0, 85.0]), 4)
    assert noisy["low"] < noisy["value"] < noisy["high"]
    assert trend_forecast(pd.Series([80.0, 81.0]), 4) is None
