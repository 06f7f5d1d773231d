"""The workbook as a place to work (issue 20): sheets in the loop's order with a tab colour per stage, a first
sheet that links to every sheet and names the ribbon's buttons exactly, and a Chinese book that shows no
internal key or English word to its user; the Pareto sheet counts in whole numbers with its helpers hidden."""
import re

import openpyxl
import pytest

from conftest import ROOT, sample_book
from pyaddin import schema
from pyaddin.build.workbook import STAGES
from pyaddin.locale import action_text, group_label
from pyaddin.registry import ACTIONS

# words a Chinese quality team reads as they are: product and system names, units, indicator abbreviations
ALLOWED = {"SLA", "NPS", "KPI", "APP", "QA", "ACD", "CDR",  # the call-centre systems (呼叫中心 ACD/CDR)
           "CSV", "Excel", "Python", "xlwings", "QualityBook", "qualitybook",
           "exe", "Zendesk", "Freshdesk", "SMART", "PDCA", "XmR", "Why", "bak", "conf", "Interpreter_Win", "xlsx",
           "xlsm", "xls", "Y", "N", "h", "p", "UTC", "A", "B", "C", "D"}  # grades A–D, the UTC offset


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    """The Chinese book after a team's first steps: import, KPIs, Pareto, the problem list."""
    return sample_book(tmp_path_factory.mktemp("guide") / "book.xlsm", ["kpi"], ["pareto", "--quarter", "2026Q3"],
                       ["problems", "--quarter", "2026Q3"])


def test_sheets_follow_the_loop_with_a_tab_colour_per_stage():
    wb = openpyxl.load_workbook(ROOT / "qualitybook.xlsm")
    expected = [schema.BY_NAME[n].sheet("zh") for _, _, names in STAGES for n in names]
    shown = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert shown[0] == "使用说明" and shown[1:len(expected) + 1] == expected
    for _, colour, names in STAGES:
        assert {wb[schema.BY_NAME[n].sheet("zh")].sheet_properties.tabColor.rgb[-6:] for n in names} == {colour}


@pytest.mark.parametrize("lang, path", [("zh", "qualitybook.xlsm"), ("en", "templates/qualitybook_en.xlsm")])
def test_the_guide_links_every_sheet_and_names_the_buttons_exactly(lang, path):
    wb = openpyxl.load_workbook(ROOT / path)
    guide = wb.worksheets[0]
    links = [c.hyperlink for row in guide.iter_rows() for c in row if c.hyperlink]
    targets = set()
    for h in links:  # a location inside the book: 'Sheet'!A1, and the sheet exists
        m = re.fullmatch(r"'((?:[^']|'')+)'!A1", h.location or "")
        assert m and not h.target, h.location
        targets.add(m.group(1).replace("''", "'"))
    assert targets <= set(wb.sheetnames)
    assert targets == {schema.BY_NAME[n].sheet(lang) for _, _, names in STAGES for n in names}
    texts = [str(c.value) for row in guide.iter_rows() for c in row if c.value]
    for a in ACTIONS.values():  # every button as the ribbon shows it: group › label
        assert f"{group_label(a.group, lang)} › {action_text(a.name, lang)[0]}" in texts
    first = next(t for t in texts if "→" in t and action_text("import_tickets", lang)[0] in t)
    assert action_text("kpi", lang)[0] in first and action_text("pareto", lang)[0] in first  # what to do first


def test_a_chinese_book_shows_no_internal_key_or_english_word(worked):
    wb = openpyxl.load_workbook(worked)
    found = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or ws.title == "_xlwings.conf":
            continue  # xlwings' own configuration sheet is English by design
        hidden = {k for k, d in ws.column_dimensions.items() if d.hidden}
        own = {c.column_letter for c in ws[1] if ws.title == "操作日志" and c.value == "操作人"}  # a login name
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or c.column_letter in hidden | own:
                    continue
                text = re.sub(r"[\w.-]+\.(?:csv|xlsx|xlsm)", "", c.value)  # a file's name is the user's own
                for token in re.findall(r"[A-Za-z0-9_-]+", text):  # an id (QA000001-R) is one token
                    if re.search(r"[A-Za-z]", token) and not re.search(r"\d", token) and token not in ALLOWED:
                        found.setdefault(ws.title, set()).add(token)
    assert not found, found


def test_the_pareto_sheet_counts_whole_numbers_and_hides_what_only_its_chart_reads(worked):
    ws = openpyxl.load_workbook(worked)["帕累托分析"]
    keys = schema.PARETO.keys
    letter = {k: openpyxl.utils.get_column_letter(i + 1) for i, k in enumerate(keys)}
    assert ws.column_dimensions[letter["count"]].number_format == "0"
    assert all(ws.column_dimensions[letter[k]].hidden for k in ("vital_count", "other_count", "line_80"))
    assert not any(ws.column_dimensions[letter[k]].hidden for k in ("category", "count", "pct", "cum_pct"))
    assert "按“问题类别”统计" in ws["A2"].value  # the grouping column named as the book names it
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws._charts and not ws._charts[0].visible_cells_only  # the chart still draws its hidden helpers
