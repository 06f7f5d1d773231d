"""The stand-alone appraisal workbook for management: a cover (quarter, rules, department ranking) and one
titled sheet per department, printable on A4 landscape."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..inert import save_workbook
from ..locale import LANGS, metric_name
from ..ooxml.tables import table_column_names
from ..ooxml.text import printed_width, sheet_title

HEAD = PatternFill("solid", fgColor="1F4E78")
GRADE_FILLS = {"A": "C6EFCE", "B": "DDEBF7", "C": "FFEB9C", "D": "FFC7CE"}
COMPS = ("csat_pct", "first_response_sla_pct", "fcr_pct", "qa_score_pct", "rectification_pct", "complaint_rate_pct")
# what each column holds, for its format and alignment: the cover's and a department sheet's
AGENT_COMPS = tuple(c for c in COMPS if c != "rectification_pct")  # the department's alone: never an agent's column
COVER_KINDS = ("rank", "text", "count", *("figure",) * len(COMPS), "figure", "figure", "grade", "text")
AGENT_KINDS = ("text", "count", *("figure",) * len(AGENT_COMPS), "figure", "figure", "grade", "rank", "text")


def safe_sheet_names(names: list[str], taken: tuple[str, ...] = ()) -> dict[str, str]:
    """Each department's sheet name as Excel accepts it (``ooxml.text.sheet_title``), unique among the others."""
    used, out = list(taken), {}
    for name in names:
        out[name] = sheet_title(name, used)
        used.append(out[name])
    return out


def _print_setup(ws, header_text: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddHeader.center.text = header_text.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"


def _table(ws, top: int, header: list[str], kinds: tuple[str, ...], rows: list[list], no_data: str) -> None:
    """A header row and its rows, as a manager reads them: every column as wide as its header and its widest
    value (nothing cut off), figures to one decimal (91.0 beside 90.8, not 91), counts whole, ranks and grades
    centred so that a score and its grade never run together (not "91 A"); a figure never supplied says so."""
    for i, text in enumerate(header, start=1):
        c = ws.cell(row=top, column=i, value=text)
        c.font, c.fill = Font(bold=True, color="FFFFFF"), HEAD
        c.alignment = Alignment(horizontal="center", vertical="center")
    for r, values in enumerate(rows, start=top + 1):
        for i, (v, kind) in enumerate(zip(values, kinds), start=1):
            c = ws.cell(row=r, column=i, value=no_data if kind == "figure" and v is None else v)
            c.number_format = FORMATS.get(kind, "General")
            if kind in ("rank", "grade") or c.value is no_data:
                c.alignment = Alignment(horizontal="center")
            if c.value is no_data:
                c.font = Font(color="808080")
    for i, (text, kind) in enumerate(zip(header, kinds)):
        widest = max([printed_width(text), printed_width(no_data)] + [printed_width(_shown(row[i], kind)) for row in rows])
        ws.column_dimensions[get_column_letter(i + 1)].width = widest + 3


FORMATS = {"figure": "0.0", "count": "0", "rank": "0"}


def _shown(v, kind: str) -> str:
    """A value as its cell shows it (for the column's width)."""
    if v is None:
        return ""
    return f"{v:.1f}" if kind == "figure" and isinstance(v, (int, float)) else str(v)


def _grade_fill(ws, row: int, column: int, grade) -> None:
    if grade in GRADE_FILLS:
        ws.cell(row=row, column=column).fill = PatternFill("solid", fgColor=GRADE_FILLS[grade])


def _title(ws, text: str) -> None:
    ws["A1"] = text
    ws["A1"].font = Font(bold=True, size=14, color="1F4E78")


def write_appraisal_book(path: Path, result: dict, quarter: str, rules, lang: str, rules_text: str) -> Path:
    words, no_data = LANGS[lang].APPRAISAL, LANGS[lang].STATUS["no_data"]
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = words["summary"]
    _title(cover, words["title"].format(quarter=quarter))
    cover["A2"] = rules_text
    cover["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    cover.row_dimensions[2].height = 60
    header = [words["dept_rank"], words["department"], words["tickets"], *[metric_name(c, lang) for c in COMPS],
              words["deduction"], words["score"], words["grade"], words["consequence"]]
    ranked = sorted(result["departments"], key=lambda d: (d["rank"] is None, d["rank"] or 0, d["department"]))
    _table(cover, 4, header, COVER_KINDS, [
        [d["rank"], d["department"], d["tickets"], *[_r(d["components"].get(c)) for c in COMPS], _r(d["deduction"]),
         d["score"], d["grade"], rules.consequences.get(d["grade"] or "", "")] for d in ranked], no_data)
    cover.merge_cells(f"A2:{get_column_letter(len(header))}2")
    for r, d in enumerate(ranked, start=5):
        _grade_fill(cover, r, header.index(words["grade"]) + 1, d["grade"])
        _grade_fill(cover, r, header.index(words["score"]) + 1, d["grade"])
    placed = result.get("placed_by_tickets") or []
    if placed:
        at = 6 + len(ranked)
        cover.cell(row=at, column=1, value=words["placed"].format(names=LANGS[lang].MESSAGES["list_sep"].join(placed)))
    cover.freeze_panes = "A5"
    _print_setup(cover, words["title"].format(quarter=quarter))

    agent_header = table_column_names([words["agent"], words["tickets"], *[metric_name(c, lang) for c in AGENT_COMPS],
                                       words["deduction"], words["score"], words["grade"], words["rank"],
                                       words["consequence"]])
    names = safe_sheet_names([d["department"] for d in result["departments"]], (cover.title,))
    for d in result["departments"]:
        ws = wb.create_sheet(names[d["department"]])
        title = words["dept_title"].format(quarter=quarter, department=d["department"])
        _title(ws, title)
        mine = [a for a in result["agents"] if a["department"] == d["department"]]
        mine.sort(key=lambda a: (a["rank"] is None, a["rank"] or 0, a["agent"]))
        _table(ws, 3, agent_header, AGENT_KINDS, [
            [a["agent"], a["tickets"], *[_r(a["components"].get(c)) for c in AGENT_COMPS], _r(a["deduction"]), a["score"],
             a["grade"] if a["status"] == "graded" else words["insufficient"], a["rank"],
             rules.consequences.get(a["grade"] or "", "") if a["status"] == "graded" else ""] for a in mine], no_data)
        for r, a in enumerate(mine, start=4):
            if a["status"] == "graded":
                _grade_fill(ws, r, agent_header.index(words["grade"]) + 1, a["grade"])
        if not mine:
            ws.cell(row=4, column=1, value=words["no_agents"].format(tickets=d["tickets"]))
        ws.freeze_panes = "A4"
        ws.print_title_rows = "3:3"
        _print_setup(ws, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path


def _r(v):
    return None if v is None or v != v else round(float(v), 1)
