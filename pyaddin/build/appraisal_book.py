"""The stand-alone appraisal workbook for management: a cover (quarter, rules, department ranking) and one
titled sheet per department, printable on A4 landscape."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..inert import save_workbook
from ..locale import LANGS, metric_name
from ..ooxml.tables import table_column_names

HEAD = PatternFill("solid", fgColor="1F4E78")
GRADE_FILLS = {"A": "C6EFCE", "B": "DDEBF7", "C": "FFEB9C", "D": "FFC7CE"}
FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
COMPS = ("csat_pct", "first_response_sla_pct", "fcr_pct", "qa_score_pct", "rectification_pct", "complaint_rate_pct")


def safe_sheet_names(names: list[str], taken: tuple[str, ...] = ()) -> dict[str, str]:
    """Each name as Excel accepts it for a sheet: none of []:*?/\\, no leading or trailing apostrophe, at most
    31 characters, not blank, and unique (case-insensitively, as Excel compares) — a clash gets ~2, ~3 …"""
    used = {t.casefold() for t in taken}
    out = {}
    for name in names:
        base = FORBIDDEN.sub("_", str(name)).strip().strip("'").strip() or "_"
        candidate, n = base[:31].rstrip("'"), 1
        while candidate.casefold() in used or not candidate:
            n += 1
            tail = f"~{n}"
            candidate = base[:31 - len(tail)].rstrip("'") + tail
        used.add(candidate.casefold())
        out[name] = candidate
    return out


def _print_setup(ws, header_text: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddHeader.center.text = header_text.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"


def _header_row(ws, row: int, header: list[str]) -> None:
    for i, text in enumerate(header, start=1):
        c = ws.cell(row=row, column=i, value=text)
        c.font, c.fill, c.alignment = Font(bold=True, color="FFFFFF"), HEAD, Alignment(wrap_text=True)
    for i in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.column_dimensions[get_column_letter(len(header))].width = 32  # what the grade brings: a sentence


def _grade_fill(ws, row: int, column: int, grade) -> None:
    if grade in GRADE_FILLS:
        ws.cell(row=row, column=column).fill = PatternFill("solid", fgColor=GRADE_FILLS[grade])


def _title(ws, text: str) -> None:
    ws["A1"] = text
    ws["A1"].font = Font(bold=True, size=14, color="1F4E78")


def write_appraisal_book(path: Path, result: dict, quarter: str, rules, lang: str, rules_text: str) -> Path:
    words = LANGS[lang].APPRAISAL
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = words["summary"]
    _title(cover, words["title"].format(quarter=quarter))
    cover["A2"] = rules_text
    cover["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    cover.merge_cells("A2:L2")
    cover.row_dimensions[2].height = 60
    header = [words["dept_rank"], words["department"], words["tickets"], *[metric_name(c, lang) for c in COMPS],
              words["deduction"], words["score"], words["grade"], words["consequence"]]
    _header_row(cover, 4, header)
    ranked = sorted(result["departments"], key=lambda d: (d["rank"] is None, d["rank"] or 0, d["department"]))
    for r, d in enumerate(ranked, start=5):
        values = [d["rank"], d["department"], d["tickets"], *[_r(d["components"].get(c)) for c in COMPS],
                  _r(d["deduction"]), d["score"], d["grade"], rules.consequences.get(d["grade"] or "", "")]
        for i, v in enumerate(values, start=1):
            cover.cell(row=r, column=i, value=v)
        _grade_fill(cover, r, header.index(words["grade"]) + 1, d["grade"])
        _grade_fill(cover, r, header.index(words["score"]) + 1, d["grade"])
    placed = result.get("placed_by_tickets") or []
    if placed:
        at = 6 + len(ranked)
        cover.cell(row=at, column=1, value=words["placed"].format(names="、".join(placed)))
    cover.freeze_panes = "A5"
    _print_setup(cover, words["title"].format(quarter=quarter))

    agent_header = table_column_names([words["agent"], words["tickets"], *[metric_name(c, lang) for c in COMPS],
                                       words["deduction"], words["score"], words["grade"], words["rank"],
                                       words["consequence"]])
    names = safe_sheet_names([d["department"] for d in result["departments"]], (cover.title,))
    for d in result["departments"]:
        ws = wb.create_sheet(names[d["department"]])
        title = words["dept_title"].format(quarter=quarter, department=d["department"])
        _title(ws, title)
        _header_row(ws, 3, agent_header)
        mine = [a for a in result["agents"] if a["department"] == d["department"]]
        mine.sort(key=lambda a: (a["rank"] is None, a["rank"] or 0, a["agent"]))
        for r, a in enumerate(mine, start=4):
            graded = a["status"] == "graded"
            values = [a["agent"], a["tickets"], *[_r(a["components"].get(c)) for c in COMPS], _r(a["deduction"]),
                      a["score"], a["grade"] if graded else words["insufficient"], a["rank"],
                      rules.consequences.get(a["grade"] or "", "") if graded else ""]
            for i, v in enumerate(values, start=1):
                ws.cell(row=r, column=i, value=v)
            if graded:
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
