"""The stand-alone templates (problem list, root cause, improvement plan; zh and en): documents a team
can use without the add-in — a title and instructions, dropdowns and date checks, the seeds' logistics
case worked through on a sheet of its own, the fishbone layout, and print setup."""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import schema
from ..locale import LANGS
from . import examples

TOP = 4  # title, instructions, a blank row, then the table
TITLE = Font(bold=True, size=14, color="1F4E78")
HEAD = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="8EA9DB")
LAST = 2000


def list_choices(field, lang: str) -> str | None:
    """A dropdown's items for an enum or a yes/no field, in the workbook's language."""
    if field.type == "enum":
        items = field.enum.labels(lang)
    elif field.type == "bool":
        items = list(schema.BOOL_LABELS[lang])
    else:
        return None
    return '"' + ",".join(items) + '"'


def check_rule(f, lang: str) -> DataValidation | None:
    """A date must be a date, a bounded number within its bounds: what the add-in would check on import."""
    msg = f"{f.zh} / {f.en}"
    if f.type in ("date", "datetime"):
        return DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                              allow_blank=True, showErrorMessage=True, errorTitle="QualityBook",
                              error=LANGS[lang].TEMPLATES["date_error"].format(field=msg))
    if f.minimum is not None and f.maximum is not None:
        kind = "whole" if f.type == "integer" else "decimal"
        return DataValidation(type=kind, operator="between", formula1=str(f.minimum), formula2=str(f.maximum),
                              allow_blank=True, showErrorMessage=True, errorTitle="QualityBook",
                              error=LANGS[lang].TEMPLATES["range_error"].format(field=msg, low=f.minimum,
                                                                                high=f.maximum))
    return None


def strict_validation(ws, table, top: int, lang: str) -> None:
    """Every date and bounded column of the table checked (``check_rule``)."""
    for i, f in enumerate(table.fields, start=1):
        dv = check_rule(f, lang)
        if dv is not None:
            letter = get_column_letter(i)
            dv.add(f"{letter}{top + 1}:{letter}{LAST}")
            ws.add_data_validation(dv)


def a4_landscape(ws, title_rows: str | None = None) -> None:
    """Printed as teams print: A4 landscape, one page wide, the header row repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if title_rows:
        ws.print_title_rows = title_rows


def print_setup(ws, title: str, top: int) -> None:
    a4_landscape(ws, f"{top}:{top}")
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "&P / &N"


def printed_list(ws, table, top: int, left: int, lang: str) -> None:
    """A list that only grows (操作日志): A4 landscape, one page wide and as many tall as its rows fill, its header
    row on every page, the sheet's name above and the page numbers below."""
    a4_landscape(ws, f"{top}:{top}")
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.center.text = "&P / &N"


def instructions(wb, stem: str, lang: str) -> None:
    ws = wb.active
    t = LANGS[lang].TEMPLATES
    ws.title = t["guide_sheet"]
    ws.column_dimensions["A"].width = 110
    ws["A1"] = t[f"{stem}_title"]
    ws["A1"].font = TITLE
    for r, line in enumerate(t[f"{stem}_steps"] + t["common_steps"], start=3):
        ws.cell(r, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    print_setup(ws, t[f"{stem}_title"], 1)


def headline(ws, table, lang: str) -> None:
    t = LANGS[lang].TEMPLATES
    ws["A1"] = t[f"{table.key}_sheet_title"]
    ws["A1"].font = TITLE
    ws["A2"] = t[f"{table.key}_hint"]
    ws["A2"].alignment = Alignment(wrap_text=False)
    ws.freeze_panes = f"A{TOP + 1}"
    print_setup(ws, t[f"{table.key}_sheet_title"], TOP)


def _row(table, values: dict, lang: str) -> list:
    out = []
    for f in table.fields:
        v = values.get(f.key)
        if v is None:
            out.append(None)
        elif f.enum is not None:
            out.append(f.enum.label(v, lang))
        elif f.type == "bool":
            out.append(schema.BOOL_LABELS[lang][0 if v else 1])
        else:
            out.append(v)
    return out


def example_sheet(wb, tables, lang: str) -> None:
    """The seeds' logistics case, filled in as a team would."""
    t = LANGS[lang].TEMPLATES
    ws = wb.create_sheet(t["example_sheet"])
    ws["A1"] = t["example_title"]
    ws["A1"].font = TITLE
    r = 3
    problem = examples.PROBLEM[lang]
    blocks = {"problems": [_row(schema.PROBLEMS, problem, lang)],
              "rootcause": [_row(schema.ROOTCAUSE, {"problem_id": "P001", **dict(zip(examples.CAUSE_FIELDS, c))}, lang)
                            for c in examples.CAUSES[lang]],
              "plan": [_row(schema.PLAN, {"problem_id": "P001", **dict(zip(examples.ACTION_FIELDS, a))}, lang)
                       for a in examples.ACTIONS[lang]]}
    for table in tables:
        ws.cell(r, 1, table.sheet(lang)).font = Font(bold=True, color="1F4E78")
        r += 1
        for c, f in enumerate(table.fields, start=1):
            cell = ws.cell(r, c, f.label(lang))
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD
            ws.column_dimensions[get_column_letter(c)].width = max(ws.column_dimensions[get_column_letter(c)].width or 0,
                                                                   f.width)
        for values in blocks[table.key]:
            r += 1
            for c, v in enumerate(values, start=1):
                ws.cell(r, c, v).alignment = Alignment(wrap_text=True, vertical="top")
        r += 2
    print_setup(ws, t["example_title"], 4)


def fishbone_layout(wb, lang: str) -> None:
    """The 6M fishbone as a grid to write in: three bones above the spine, three below, the problem at the head."""
    t = LANGS[lang].TEMPLATES
    ws = wb.create_sheet(t["fishbone_sheet"])
    ws["A1"] = t["fishbone_title"]
    ws["A1"].font = TITLE
    ws["A2"] = t["fishbone_hint"]
    for c in range(1, 8):
        ws.column_dimensions[get_column_letter(c)].width = 24
    box = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    bones = [k for k, _, _ in schema.SIX_M.members]
    for i, key in enumerate(bones):
        up = i < 3
        col = 1 + 2 * (i % 3)
        head_row = 4 if up else 17
        cell = ws.cell(head_row, col, schema.SIX_M.label(key, lang) + ("" if lang == "zh" else
                                                                        f" ({schema.SIX_M.label(key, 'zh')})"))
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEAD
        cell.alignment = Alignment(horizontal="center")
        for j in range(1, 6):
            row = head_row + j if up else head_row - j
            c = ws.cell(row, col)
            c.border = box
            c.alignment = Alignment(wrap_text=True, vertical="top")
    spine = 11
    for c in range(1, 7):
        ws.cell(spine, c).fill = PatternFill("solid", fgColor="1F4E78")
    head = ws.cell(spine, 7, t["fishbone_head"])
    head.font, head.fill = Font(bold=True, color="9C0006"), PatternFill("solid", fgColor="FCE4D6")
    head.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[spine].height = 40
    print_setup(ws, t["fishbone_title"], 1)
