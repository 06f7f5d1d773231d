"""The workbook a department receives: plain .xlsx (no macros), written with openpyxl.

A cover sheet says what to fill and by when; the department's problems, root causes and actions
follow under the master's own column labels, one row per item, the fields it fills unlocked and
validated, every other cell locked; a KPI snapshot; and a very hidden sheet carrying the batch,
the master workbook's id, the values sent and each item's fingerprint.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo

from .. import schema
from ..book import to_columns
from ..build.templates import a4_landscape, check_rule, list_choices
from ..core import dispatch
from ..inert import save_workbook
from ..locale import LANGS, text
from ..schema import Table

EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")
QUALITY_TEAM_ONLY = ("effect_before", "effect_after", "effect_p", "effect_verified", "smart_missing", "origin")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")


@dataclass
class Sending:
    batch: str
    master_id: str
    department: str
    file: str
    sent_at: dt.datetime
    deadline: dt.date
    contact: str
    lang: str

    def meta(self) -> list[list[str]]:
        return [["format", dispatch.FORMAT], ["batch", self.batch], ["master_id", self.master_id],
                ["department", self.department], ["file", self.file], ["sent_at", self.sent_at.isoformat()],
                ["deadline", self.deadline.isoformat()], ["lang", self.lang]]


def text_cell(ws, row: int, col: int, value):
    """Write a value; text stays text even when it begins with ``=`` (openpyxl would make it a formula)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def table_sheet(wb, table: Table, frame: pd.DataFrame, lang: str, served: pd.Series | None = None) -> None:
    ws = wb.create_sheet(table.sheet(lang))
    for c, f in enumerate(table.fields, start=1):
        cell = text_cell(ws, 1, c, f.label(lang))
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = f.width
    stored = to_columns(table, frame[table.keys], lang)  # the cells the master itself stores
    for c, (f, col) in enumerate(zip(table.fields, stored), start=1):
        for r, v in enumerate(col.values.astype(object).where(col.values.notna(), None), start=2):
            cell = text_cell(ws, r, c, v)
            if f.number_format:
                cell.number_format = f.number_format
            if f.type == "text" and f.width >= 24 and isinstance(v, str):  # a problem statement: read whole
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = -(-len(v) * 2 // int(f.width))  # a Chinese character is two width units
                ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 15, 15 * min(lines, 8))
    last = max(len(frame) + 1, 2)
    for c, f in enumerate(table.fields, start=1):
        if not f.editable_by_department:
            continue
        letter = get_column_letter(c)
        for r in range(2, last + 1 if len(frame) else 2):
            ws.cell(row=r, column=c).protection = Protection(locked=False)
            ws.cell(row=r, column=c).fill = EDITABLE_FILL
        choices = list_choices(f, lang)
        dv = DataValidation(type="list", formula1=choices, allow_blank=True) if choices else check_rule(f, lang)
        if dv is not None and len(frame):
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{last}")
    if "days_overdue" in table.keys:  # how late an overdue action is, in red
        c = table.keys.index("days_overdue") + 1
        for r, v in enumerate(frame["days_overdue"], start=2):
            if pd.notna(v) and v > 0:
                ws.cell(row=r, column=c).font = Font(bold=True, color="C00000")
    if served is not None and "problem_id" in table.keys and table.id_field != "problem_id":
        c = len(table.fields) + 1  # beside the table: the problem each action serves, to read by, never returned
        cell = ws.cell(row=1, column=c, value=LANGS[lang].DEPARTMENT["served"])
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = 36
        for r, pid in enumerate(frame["problem_id"], start=2):
            text_cell(ws, r, c, served.get(pid) if isinstance(served.get(pid), str) else None)
    if len(frame):  # an Excel Table under the master's own name and labels (a table needs a data row)
        ref = f"A1:{get_column_letter(len(table.fields))}{len(frame) + 1}"
        xl = XlTable(displayName=table.name, ref=ref)
        xl.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True)
        ws.add_table(xl)
    for c, f in enumerate(table.fields, start=1):  # the quality team's own workings: kept, not shown or printed
        if f.key in QUALITY_TEAM_ONLY:
            ws.column_dimensions[get_column_letter(c)].hidden = True
    ws.freeze_panes = "A2"
    a4_landscape(ws, "1:1")
    ws.protection.sheet = True  # locked cells cannot be typed over; the fingerprint catches the rest


def feedback_sheet(wb, lang: str) -> None:
    """一线反馈: empty rows the department's staff fill (date, person, kind, text), unlocked and validated; the
    quality team's collect appends them to the master's 一线反馈 (DOMAIN.md §10).  No Excel Table: a table needs
    a data row, and a blank one would come back as an entry."""
    t = schema.FEEDBACK
    ws = wb.create_sheet(t.sheet(lang))
    last = dispatch.FEEDBACK_ROWS + 1
    for c, key in enumerate(dispatch.FEEDBACK_COLUMNS, start=1):
        f = t.field(key)
        cell = text_cell(ws, 1, c, f.label(lang))
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = f.width
        for r in range(2, last + 1):
            cell = ws.cell(row=r, column=c)
            cell.protection = Protection(locked=False)
            cell.fill = EDITABLE_FILL
            if f.number_format:
                cell.number_format = f.number_format
            if f.type == "text" and f.width >= 24:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        choices = list_choices(f, lang)
        dv = DataValidation(type="list", formula1=choices, allow_blank=True) if choices else check_rule(f, lang)
        if dv is not None:
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{last}")
    ws.freeze_panes = "A2"
    a4_landscape(ws, "1:1")
    ws.protection.sheet = True


def cover_sheet(wb, s: Sending, counts: dict[str, int]) -> None:
    words = LANGS[s.lang].DEPARTMENT
    ws = wb.active
    ws.title = words["cover"]
    ws["A1"] = words["title"].format(department=s.department)
    ws["A1"].font = Font(bold=True, size=14, color="1F4E78")
    rows = [(words["batch"], s.batch), (words["department"], s.department),
            (words["sent_at"], s.sent_at.strftime("%Y-%m-%d %H:%M")), (words["deadline"], s.deadline.isoformat()),
            (words["contact"], s.contact)]
    for r, (k, v) in enumerate(rows, start=3):
        ws.cell(row=r, column=1, value=k).font = Font(bold=True)
        text_cell(ws, r, 2, v)
    r = len(rows) + 4
    ws.cell(row=r, column=1, value=words["what"]).font = Font(bold=True)
    for t in dispatch.WORK_TABLES:
        r += 1
        fields = "、".join(f.label(s.lang) for f in dispatch.editable(t))
        ws.cell(row=r, column=1, value=words["fields"].format(sheet=f"{t.sheet(s.lang)} ({counts[t.key]})",
                                                              fields=fields))
    r += 1
    sep = text("list_sep", s.lang)
    ws.cell(row=r, column=1, value=words["feedback"].format(
        sheet=schema.FEEDBACK.sheet(s.lang),
        fields=sep.join(schema.FEEDBACK.field(k).label(s.lang) for k in dispatch.FEEDBACK_COLUMNS),
        kinds=sep.join(schema.FEEDBACK_KIND.labels(s.lang))))
    for rule in words["rules"]:
        r += 1
        ws.cell(row=r, column=1, value="· " + rule).alignment = Alignment(wrap_text=False)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 40
    a4_landscape(ws)
    ws.protection.sheet = True


def kpi_sheet(wb, s: Sending, kpi_rows: pd.DataFrame, period: str | None) -> None:
    words = LANGS[s.lang].DEPARTMENT
    ws = wb.create_sheet(words["kpi"])
    ws["A1"] = words["kpi_title"].format(department=s.department)
    ws["A1"].font = Font(bold=True, size=12, color="1F4E78")
    ws["A2"] = period or ""
    if period is None:
        ws["A3"] = words["kpi_none"]
    elif kpi_rows.empty:
        ws["A3"] = words["kpi_no_tickets"]
    else:
        for c, k in enumerate(("indicator", "value", "target", "status"), start=1):
            cell = ws.cell(row=3, column=c, value=words[k])
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        for r, row in enumerate(kpi_rows.itertuples(index=False), start=4):
            ws.cell(row=r, column=1, value=row.name)
            value = None if pd.isna(row.value) else float(row.value)
            ws.cell(row=r, column=2, value=value).number_format = "0" if value is not None and value.is_integer() else "0.0"
            ws.cell(row=r, column=3, value=None if pd.isna(row.target) else float(row.target))
            text_cell(ws, r, 4, None if pd.isna(row.status) else str(row.status))
    ws.column_dimensions["A"].width = 28
    a4_landscape(ws)
    ws.protection.sheet = True


def hidden_rows(s: Sending, share: dict[str, pd.DataFrame]) -> list[list[str]]:
    rows = s.meta() + [["table", "item", "sent", "fingerprint"]]
    for t in dispatch.WORK_TABLES:
        frame = share[t.key]
        ids = frame["_id"] if "_id" in frame else dispatch.item_ids(t, frame)
        for item, row in zip(ids, frame.to_dict("records")):
            rows.append([t.key, item, dispatch.sent_values(row, t),
                         dispatch.fingerprint(s.batch, s.master_id, s.department, t, item, row)])
    return rows


def write(path: Path, s: Sending, share: dict[str, pd.DataFrame], kpi_rows: pd.DataFrame, period: str | None = None,
          served: pd.Series | None = None) -> str:
    """Write the department's workbook; return the digest of its hidden sheet (kept in the master)."""
    wb = openpyxl.Workbook()
    cover_sheet(wb, s, {k: len(v) for k, v in share.items()})
    for t in dispatch.WORK_TABLES:
        table_sheet(wb, t, share[t.key], s.lang, served)
    feedback_sheet(wb, s.lang)
    kpi_sheet(wb, s, kpi_rows, period)
    ws = wb.create_sheet(dispatch.HIDDEN_SHEET)
    rows = hidden_rows(s, share)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            text_cell(ws, r, c, v)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = wb.properties.lastModifiedBy = dispatch.SENDER  # whoever saves it next is named instead
    save_workbook(wb, path)
    return dispatch.digest(rows)
