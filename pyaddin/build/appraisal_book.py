"""The stand-alone appraisal workbook for management: a summary sheet and one sheet per department."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..locale import LANGS, metric_name
from ..ooxml.tables import table_column_names
from ..ooxml.text import escape_book, sheet_title

HEAD = PatternFill("solid", fgColor="1F4E78")
GRADE_FILLS = {"A": "C6EFCE", "B": "DDEBF7", "C": "FFEB9C", "D": "FFC7CE"}


def _sheet(wb, title: str, header: list[str], rows: list[list], lang: str):
    ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
    ws.append(header)
    for c in ws[1]:
        c.font, c.fill, c.alignment = Font(bold=True, color="FFFFFF"), HEAD, Alignment(wrap_text=True)
    for r in rows:
        ws.append(r)
        grade = r[header.index(LANGS[lang].APPRAISAL["grade"])]
        if grade in GRADE_FILLS:
            for c in ws[ws.max_row]:
                c.fill = PatternFill("solid", fgColor=GRADE_FILLS[grade])
    for i in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddFooter.center.text = "&P / &N"
    return ws


def write_appraisal_book(path: Path, result: dict, quarter: str, rules, lang: str) -> Path:
    words = LANGS[lang].APPRAISAL
    comps = ("csat_pct", "first_response_sla_pct", "fcr_pct", "qa_score_pct", "rectification_pct",
             "complaint_rate_pct")
    header = table_column_names([words["agent"], words["tickets"], *[metric_name(c, lang) for c in comps],
                                 words["deduction"], words["score"], words["grade"], words["rank"],
                                 words["consequence"]])
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = words["summary"]
    summary["A1"] = words["title"].format(quarter=quarter)
    summary["A1"].font = Font(bold=True, size=14, color="1F4E78")
    summary.append([])
    summary.append([words["department"], words["tickets"], *[metric_name(c, lang) for c in comps], words["deduction"],
                    words["score"], words["grade"], words["consequence"]])
    for c in summary[3]:
        c.font, c.fill = Font(bold=True, color="FFFFFF"), HEAD
    for d in result["departments"]:
        summary.append([d["department"], d["tickets"], *[_r(d["components"].get(c)) for c in comps], _r(d["deduction"]),
                        d["score"], d["grade"], rules.consequences.get(d["grade"] or "", "")])
    for d in result["departments"]:
        mine = [a for a in result["agents"] if a["department"] == d["department"]]
        mine.sort(key=lambda a: (a["rank"] is None, a["rank"] or 0, a["agent"]))
        rows = [[a["agent"], a["tickets"], *[_r(a["components"].get(c)) for c in comps], _r(a["deduction"]), a["score"],
                 a["grade"] if a["status"] == "graded" else words["insufficient"], a["rank"],
                 rules.consequences.get(a["grade"] or "", "")] for a in mine]
        _sheet(wb, d["department"], header, rows, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    escape_book(wb)
    wb.save(path)
    return path


def _r(v):
    return None if v is None or v != v else round(float(v), 1)
