"""The KPI总览 a manager reads (issue 20): sample sizes beside every group, too-small samples greyed as 样本不足,
changes as ▲/▼ coloured by the indicator's direction, counts as integers, the department matrix beside the
channel matrix, and a print at a readable size."""
import re
import subprocess

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import libreoffice, sample_book
from pyaddin import schema


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    return sample_book(tmp_path_factory.mktemp("dash") / "book.xlsm", ["kpi", "--period", "2026-09"])


def block(table, rows: int) -> str:
    """The cells of ``table``'s header and its first ``rows`` rows, where the overview lays it out."""
    _, top, left = table.place
    return f"{get_column_letter(left + 1)}{top}:{get_column_letter(left + len(table.fields))}{top + rows}"


@pytest.fixture(scope="module")
def printed(overview, tmp_path_factory):
    """The overview sheet alone, printed to PDF by LibreOffice and read back as text, page by page (as many as
    the PDF holds, by pdfinfo)."""
    d = tmp_path_factory.mktemp("print")
    wb = openpyxl.load_workbook(overview)
    for name in wb.sheetnames:
        if name != schema.KPI_CARDS.sheet("zh"):
            del wb[name]
    wb.save(d / "overview.xlsx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(d), str(d / "overview.xlsx")],
                   capture_output=True, timeout=180, check=True)
    text = subprocess.run(["pdftotext", "-layout", str(d / "overview.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    info = subprocess.run(["pdfinfo", str(d / "overview.pdf")], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))]


def first_word(printed, word: str) -> str:
    """The printed line whose first word is ``word``."""
    return next(line for page in printed for line in page.splitlines() if line.split()[:1] == [word])


def test_every_group_shows_its_sample_and_too_few_are_greyed_not_coloured(overview, printed):
    sheet = schema.KPI_CARDS.sheet("zh")
    ws = openpyxl.load_workbook(overview)[sheet]
    channel = libreoffice("cells", overview, sheet, block(schema.KPI_BY_CHANNEL, 8))
    head = channel[0]
    assert head[:3] == ["渠道", "工单数", "问卷数"]
    rows = {r[0]: r for r in channel[1:]}
    assert rows["社交媒体"][2] == 16 and rows["电话"][2] == 126  # surveys behind each channel's CSAT
    assert first_word(printed, "社交媒体").count("样本不足") == 2  # its CSAT and NPS, over 16 surveys, are not judged
    assert "样本不足" not in first_word(printed, "电话")
    dept = libreoffice("cells", overview, sheet, block(schema.KPI_BY_DEPARTMENT, 5))
    assert dept[0][:4] == ["责任部门", "工单数", "问卷数", "质检数"] and len(dept[1:]) == 5
    assert ".0" not in first_word(printed, "10").split()[1]  # the heat map's volumes print as integers, not "4.0"
    _, top, left = schema.KPI_BY_CHANNEL.place
    csat, surveys = (get_column_letter(left + 1 + schema.KPI_BY_CHANNEL.keys.index(k)) for k in ("csat_pct", "surveys"))
    rules = next(cf.rules for cf in ws.conditional_formatting if str(cf.sqref).startswith(f"{csat}{top + 1}:"))
    assert rules[0].stopIfTrue and f"${surveys}{top + 1}<20" in rules[0].formula[0]
    assert rules[0].dxf.font.color.rgb.endswith("808080")


def test_changes_read_as_arrows_coloured_by_direction(overview, printed):
    sheet = schema.KPI_CARDS.sheet("zh")
    lines = {line.split()[0]: line for line in printed[0].splitlines() if line.strip()}
    assert "▼ 5.4" in lines["首次响应SLA达成率%"] and "▲ 4.1" in lines["NPS净推荐值"]
    assert "▼ 0.5" in lines["投诉率%"]  # 3.1 → 2.6
    # the target says its direction and the warning band on which side of it it lies
    assert "≥ 90.0" in lines["首次响应SLA达成率%"] and "− 5.0" in lines["首次响应SLA达成率%"]
    assert "≤ 5.0" in lines["投诉率%"] and "+ 5.0" in lines["投诉率%"]
    ws = openpyxl.load_workbook(overview)[sheet]
    colours = {str(cf.sqref): {r.formula[0].split(",")[1][-3:-1]: r.dxf.font.color.rgb[-6:] for r in cf.rules}
               for cf in ws.conditional_formatting if str(cf.sqref) in ("F5", "F10")}
    assert colours["F5"] == {">0": "00B050", "<0": "C00000"}  # first-response SLA: higher is better
    assert colours["F10"] == {">0": "C00000", "<0": "00B050"}  # complaint rate: lower is better


def test_the_overview_prints_on_two_a4_landscape_pages_with_no_text_below_8_points(overview, printed):
    """DOMAIN.md §2's dashboard on paper: LibreOffice prints the sheet on two pages (the period's figures; the heat
    map, agents and trends), at a fixed scale that keeps the smallest text at 8 points or more."""
    ws = openpyxl.load_workbook(overview)[schema.KPI_CARDS.sheet("zh")]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == ws.PAPERSIZE_A4
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and setup.scale
    sizes = {c.font.sz or 11 for row in ws.iter_rows() for c in row if c.value is not None}
    assert min(sizes) * setup.scale / 100 >= 8  # the smallest text as printed
    assert len(printed) == 2
    first, second = printed
    for words in ("服务质量KPI总览", "首次响应SLA达成率%", "电话线路", "上门服务", "渠道", "质检数"):
        assert words in first and words not in second
    for words in ("趋势与时段分布", "周一量", "处理人", "周趋势", "近 13 个月趋势"):
        assert words in second and words not in first
    assert "门店运营部" in first.split("责任部门")[1]  # the last department printed whole
    assert "待改进 5" in second  # and the last agent


def test_partial_weeks_are_marked(overview):
    from pyaddin.book import FileBook

    with FileBook(overview) as b:
        trend = b.read(schema.KPI_TREND).data
    marks = dict(zip(trend["week"].dt.strftime("%m-%d"), trend["partial"]))
    # September 2026 starts on a Tuesday and ends on a Wednesday: its first and last weeks are cut
    assert marks == {"08-31": True, "09-07": False, "09-14": False, "09-21": False, "09-28": True}


def test_the_best_and_the_worst_agents_stand_beside_the_matrices(overview):
    from pyaddin.book import FileBook

    with FileBook(overview) as b:
        agents = b.read(schema.KPI_AGENTS).data
    assert len(agents) == 2 * schema.TOP_AGENTS  # a fixed block: nothing below it is ever pushed
    filled = agents.dropna(subset=["agent"])
    sla = list(filled["first_response_sla_pct"])
    best, worst = sla[:len(sla) // 2], sla[len(sla) // 2:]
    assert best == sorted(best, reverse=True) and worst == sorted(worst) and min(best) > max(worst)
    assert (filled["tickets"] >= schema.MIN_SAMPLE).all() and "未分配" not in set(filled["agent"])
    assert filled["rank"].iloc[0] == "最佳 1" and filled["rank"].iloc[-1].startswith("待改进")


def test_a_thirteen_month_trend_with_each_target_as_a_dashed_line(overview):
    from pyaddin.book import FileBook

    with FileBook(overview) as b:
        months = b.read(schema.KPI_MONTHLY).data
    assert list(months["month"]) == [f"{y}-{m:02d}" for y, m in [(2025, 9 + i) if i < 4 else (2026, i - 3)
                                                                  for i in range(13)]]
    before = months[months["month"] < "2026-07"]
    assert before["first_response_sla_pct"].isna().all()  # no data: blank, never 0 %
    sept = months.set_index("month").loc["2026-09"]
    assert sept["first_response_sla_pct"] == pytest.approx(75.9, abs=0.05) and sept["target_first_response_sla_pct"] == 90
    ws = openpyxl.load_workbook(overview)[schema.KPI_CARDS.sheet("zh")]
    letters = {k: openpyxl.utils.get_column_letter(schema.KPI_MONTHLY.place[2] + i + 1)
               for i, k in enumerate(schema.KPI_MONTHLY.keys)}
    assert all(ws.column_dimensions[letters[f"target_{k}"]].hidden for k in schema.MONTHLY_KEYS)
    chart = next(c for c in ws._charts if len(c.series) == 2 * len(schema.MONTHLY_KEYS))
    dashed = [s.graphicalProperties.line.prstDash for s in chart.series]
    assert dashed.count("dash") == len(schema.MONTHLY_KEYS) and not any(s.smooth for s in chart.series)


def test_the_heat_map_prints_its_24_hours_on_one_page(printed):
    """The hour × weekday heat map whole on the second page (its last hours once printed on a page apart): a line
    for each hour, its seven volumes after it (the charts beside it may print on the same lines)."""
    pages = [p for p in printed if "周一量" in p]
    assert len(pages) == 1
    rows = [line.split() for line in pages[0].splitlines()]
    hours = {int(r[0]) for r in rows if len(r) > 8 and all(w.isdigit() for w in r[:8]) and int(r[0]) < 24}
    assert hours == set(range(24))
