"""Text from the data never runs: every .xlsx written with openpyxl and every CSV we write pass through here.

openpyxl stores any text beginning with ``=`` as a formula, so a category named ``=HYPERLINK(…)`` in an
export would become a live link in a report.  Writers put values in cells as they like and save with
``save_workbook``: at the save, every formula cell that was not written with ``formula`` (our own) is turned
back into the text it came from.  A writer cannot forget it, short of calling ``wb.save`` itself (a test
looks for that).

A CSV has no cell types: Excel runs a field beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or CR
before one).  As OWASP advises against CSV injection, such a field is written with a leading apostrophe,
which Excel shows as text and does not display.
"""
from __future__ import annotations

import weakref
from pathlib import Path

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP "CSV Injection": the characters a formula can start with

_OURS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # worksheet → coordinates of our own formulas


def formula(ws, ref: str, text: str):
    """Write one of our own formulas (``=SUM(B2:B9)``); it stays a formula when the workbook is saved."""
    if not text.startswith("="):
        raise ValueError(f"not a formula: {text!r}")
    cell = ws[ref]
    cell.value = text
    _OURS.setdefault(ws, set()).add(cell.coordinate)
    return cell


def neutralise(wb) -> int:
    """Turn every formula cell not written by ``formula`` back into text; return how many there were."""
    n = 0
    for ws in wb.worksheets:
        ours = _OURS.get(ws, set())
        for cell in ws._cells.values():  # only the cells written (iter_rows would create the rest)
            if cell.data_type == "f" and isinstance(cell.value, str) and cell.coordinate not in ours:
                cell.data_type = "s"
                n += 1
    return n


def save_workbook(wb, path: str | Path) -> Path:
    """The one way our openpyxl workbooks are saved: text from the data is text, our formulas are formulas;
    written under a temporary name and renamed, so a full disk never leaves a truncated file behind."""
    import os

    path = Path(path)
    neutralise(wb)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # created by openpyxl, with the usual permissions
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def csv_field(value):
    """A CSV field that a spreadsheet cannot run: text starting with a formula character gets an apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_field(v) for v in values]
