"""Monitoring reports (issue 11): the .xlsx opens in LibreOffice without errors, the .html stands alone."""
import re
import shutil
from html.parser import HTMLParser

import openpyxl
import pytest

from conftest import ROOT, libreoffice, sample_book
from pyaddin.context import Context
from pyaddin.reports.content import trend_forecast
from pyaddin.runner import run_file


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return sample_book(tmp_path_factory.mktemp("report") / "book.xlsm", ["problems", "--quarter", "2026Q3"],
                       ["import", str(ROOT / "samples" / "plan.csv"), "--into", "plan"])


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
    for section in ("数据概览", "指标与目标", "本期发生了什么", "主要问题", "部门与渠道", "典型案例", "下期预测",
                    "改进建议"):
        assert any(section in h for h in page.headings), section
    assert "亮点" in text and "投诉" in text  # good and bad cases
    # a recommendation names the indicator, the gap, the worst department with its sample, and a next step
    assert "首次响应SLA达成率%为" in text and "个百分点;售后服务部最差(" in text and "下一步:查" in text


def test_the_xlsx_report_opens_in_libreoffice_without_errors(demo, runner, cli, tmp_path):
    out = tmp_path / "report.xlsx"
    r = runner.invoke(cli, ["report", str(demo), "--quarter", "2026Q3", "-o", str(out)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    ws = wb["监控报告"]
    assert len(ws._charts) == 2 and ws.page_setup.orientation == "landscape" and ws.oddFooter.center.text
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.oddHeader.center.text.startswith("服务质量监控报告")
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


def _numbers_in(text: str) -> list[str]:
    import re

    return re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", text)


def test_every_number_of_the_report_is_formatted_and_empty_sections_say_so(demo, runner, cli, tmp_path):
    """Counts whole, rates and times to one decimal, in both files; a header wraps rather than being cut off; a
    section with nothing to say reads 无; one period throughout (the problems quote this month, not the quarter)."""
    import re

    xlsx, page = tmp_path / "r.xlsx", tmp_path / "r.html"
    for out in (xlsx, page):
        r = runner.invoke(cli, ["report", str(demo), "--period", "2026-09", "-o", str(out)])
        assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(xlsx)["监控报告"]
    numbers = headers = 0
    for row in ws.iter_rows(max_col=8):
        for c in row:
            if isinstance(c.value, float):
                numbers += 1
                assert c.number_format in ("0", "0.0"), (c.coordinate, c.value, c.number_format)
            if isinstance(c.value, int) and not isinstance(c.value, bool):
                assert c.number_format in ("0", "0.0"), (c.coordinate, c.value, c.number_format)
            if c.fill.fgColor.rgb == "001F4E78":
                headers += 1
                assert c.alignment.wrap_text, c.coordinate
    assert numbers > 50 and headers > 30
    shown = libreoffice("cells", xlsx, "监控报告", "A1:H200")
    assert not [x for row in shown for x in row if isinstance(x, str) and re.fullmatch(r"-?\d+\.\d{2,}", x)]
    body = page.read_text(encoding="utf-8").split("<body>")[1]
    text = re.sub(r"<[^>]+>", " ", re.sub(r'src="[^"]*"', "", body))
    assert not [n for n in _numbers_in(text) if len(n.split(".")[1]) > 1 and not n.startswith("0.0")]
    assert "<h3>改进效果验证</h3><p>无</p>" in body  # no action verified yet in this book
    assert [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)].count("无") >= 1
    assert "P001 物流延迟:本期381件,占28.1%" in text and "本季度" not in text


def test_the_report_names_what_happened_and_its_cases(demo, runner, cli, tmp_path):
    page = tmp_path / "r.html"
    assert runner.invoke(cli, ["report", str(demo), "--period", "2026-09", "-o", str(page)]).exit_code == 0
    html_text = page.read_text(encoding="utf-8")
    assert "首次响应超时327张" in html_text  # the period's breaches as an event, with the department that had most
    assert "改进措施共4项:已完成1,进行中1,未开始1,已逾期1" in html_text  # the plan's progress
    late = html_text.split("<h3>逾期整改措施</h3>")[1].split("</table>")[0]
    assert "<th>负责人</th>" in late and "<th>逾期天数</th>" in late  # overdue with owner, deadline and days late
    assert "<td>A002</td>" in late and "<td>张工</td>" in late and "<td>2026-09-05</td>" in late and ">26<" in late
    cases = html_text.split("典型案例")[1].split("下期预测")[0]
    for header in ("日期", "渠道", "部门", "处理人", "经过", "评分", "客户评价"):
        assert f"<th>{header}</th>" in cases
    assert "2026-09-" in cases and "服务很耐心" in cases  # dated, with the customer's own words
    groups = html_text.split("部门与渠道")[1].split("典型案例")[0]
    assert "<th>工单数</th><th>问卷数</th>" in groups and "样本不足" in groups  # sample sizes; too few greyed
    assert "95%的可能落在区间内" in html_text  # what the forecast's interval means


@pytest.mark.parametrize("args, start, end", [(["--week", "2026-W38"], "2026-09-14", "2026-09-20"),
                                               (["--year", "2026"], "2026-01-01", "2026-12-31")])
def test_weekly_and_annual_reports(demo, runner, cli, tmp_path, args, start, end):
    out = tmp_path / "r.html"
    r = runner.invoke(cli, ["report", str(demo), *args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"{start} – {end}" in out.read_text(encoding="utf-8")


def test_the_xlsx_pareto_chart_has_its_cumulative_line_on_a_0_to_100_axis(demo, runner, cli, tmp_path):
    import zipfile

    out = tmp_path / "r.xlsx"
    assert runner.invoke(cli, ["report", str(demo), "--period", "2026-09", "-o", str(out)]).exit_code == 0
    from lxml import etree

    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    with zipfile.ZipFile(out) as z:
        charts = [etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("xl/charts/chart")]
    pareto = next(x for x in charts if x.find(f".//{c}barChart") is not None)
    assert pareto.find(f".//{c}lineChart") is not None and pareto.find(f".//{c}title") is not None
    assert [m.get("val") for m in pareto.iter(f"{c}max")] == ["100"]  # the cumulative share's 0–100 % axis
    assert all(x.find(f".//{c}plotVisOnly").get("val") == "0" for x in charts)  # drawn from hidden helper columns


def test_a_forecast_wider_than_the_weeks_own_range_is_too_uncertain():
    import pandas as pd

    steady = trend_forecast(pd.Series([80.0, 81.0, 82.0, 83.0, 84.0, 85.0]), 4)
    wild = trend_forecast(pd.Series([60.0, 90.0, 62.0, 88.0, 61.0, 89.0]), 4)
    assert not steady["uncertain"] and wild["uncertain"] and wild["seen_high"] - wild["seen_low"] == 30


def test_the_printed_xlsx_report_keeps_each_chart_whole_and_its_values_apart(demo, runner, cli, tmp_path):
    """Printed by LibreOffice, the Pareto chart sits whole on the page of its section (it was cut across two);
    a date stands apart from the id beside it, a text from the number before it ("5服务很耐心", "73.4样本不足"),
    and a measure longer than its column wraps in a row tall enough to read it."""
    import subprocess

    from pyaddin.ooxml.text import printed_width

    out = tmp_path / "r.xlsx"
    assert runner.invoke(cli, ["report", str(demo), "--period", "2026-09", "-o", str(out)]).exit_code == 0
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   capture_output=True, timeout=180, check=True)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    on = [i for i, p in enumerate(pages) if "问题类别帕累托图" in p]
    assert len(on) == 1 and "4. 主要问题" in pages[on[0]]
    assert re.search(r"^\s*主要问题\s*$", pages[on[0]], re.M)  # the line below the chart: on the same page
    ws = openpyxl.load_workbook(out)["监控报告"]
    heading = next(c.row for c in ws["A"] if c.value == "4. 主要问题")
    assert heading - 1 in {b.id for b in ws.row_breaks.brk}
    for row in ws.iter_rows(max_col=8):
        for c in row:
            if c.value == "样本不足":
                assert c.alignment.horizontal == "right", c.coordinate
            if getattr(c, "is_date", False):
                assert c.alignment.horizontal == "center", c.coordinate
    overdue = next(c for c in ws["B"] if isinstance(c.value, str) and printed_width(c.value) > 20)
    assert overdue.alignment.wrap_text and overdue.alignment.indent >= 1
    assert ws.row_dimensions[overdue.row].height >= 30


def test_the_good_cases_are_the_teams_highlights_of_the_period_beside_the_complaints(demo, runner, cli, tmp_path):
    """Without 亮点案例 the 5-star comments stand as candidates, so named; once the team keeps its good cases, the
    period's are shown in its own words with date, channel, department, agent and score (issue 23)."""
    book = tmp_path / "book.xlsm"
    shutil.copy(demo, book)
    before = tmp_path / "before.html"
    assert runner.invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(before)]).exit_code == 0
    page = Page()
    page.feed(before.read_text(encoding="utf-8"))
    text = "".join(page.text)
    assert "亮点候选(5星好评" in text and "上门安装提前10分钟到达" not in text
    r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "highlights.csv"), "--into", "highlights"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "report.xlsx"
    assert runner.invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] == "亮点案例")
    good = [row for row in rows[at + 2:at + 5]]
    assert [str(g[0])[:10] for g in good] == ["2026-09-03", "2026-09-10", "2026-09-17"]
    assert good[1][2:4] == ("上门", "门店运营部") and good[1][4] and good[1][5].startswith("上门安装提前10分钟到达")
    assert good[0][6] == 5 and good[0][7] == "说到做到,很负责" and good[2][6] == 100
    assert rows[at + 5][0] == "投诉" or rows[at + 6][0] == "投诉"  # the bad cases follow, as before
    assert runner.invoke(cli, ["report", str(book), "--period", "2026-08", "-o", str(tmp_path / "aug.html")]
                         ).exit_code == 0
    assert "上门安装提前10分钟到达" not in (tmp_path / "aug.html").read_text(encoding="utf-8")  # September's only
