"""What Excel reads differently from what was meant: cell text that looks like an escape, and sheet names.

ECMA-376 (Part 1, 22.9.2.19 ST_Xstring) lets a cell's text carry a character as ``_xHHHH_``; Excel (and the
calamine reader) decode it, so a typed ``_x0020_`` would come back as a space.  Its own underscore is written
``_x005F_`` first, which is what Excel itself saves.  openpyxl writes such text as it is, so every openpyxl
writer passes its workbook through ``escape_book`` before saving; the streamed sheet writer uses the pattern.
"""
from __future__ import annotations

import re

ESCAPE_LIKE = r"_(x[0-9A-Fa-f]{4}_)"  # Python and RE2 alike
_ESCAPE_UNDERSCORE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # overlapping ones too: _x0020_x0020_
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def printed_width(text: str) -> int:
    """Printed width in Excel's column units: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def excel_text(value: str) -> str:
    """The text to store so that Excel shows ``value`` as typed."""
    return _ESCAPE_UNDERSCORE.sub("_x005F_", value) if "_x" in value else value


def shown_text(stored: str) -> str:
    """What Excel shows for stored cell text: every ``_xHHHH_`` decoded (``_x005F_`` is the underscore)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), stored) if "_x" in stored else stored


def escape_book(wb) -> None:
    """Every text cell of an openpyxl workbook stored so that Excel shows it as typed (formulas left alone)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and "_x" in v and cell.data_type != "f":
                    cell.value = excel_text(v)
                    if v.startswith("="):
                        cell.data_type = "s"


def sheet_title(name: str, taken=()) -> str:
    """A sheet name Excel accepts for a user-supplied ``name``: no ``[]:*?/\\``, no leading or trailing
    apostrophe, at most 31 characters, not blank, and unique (ignoring case) among ``taken``."""
    base = _SHEET_FORBIDDEN.sub("_", str(name)).strip().strip("'").strip() or "_"
    used = {t.casefold() for t in taken}
    title, n = base[:SHEET_NAME_MAX].rstrip("'") or "_", 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title = base[:SHEET_NAME_MAX - len(suffix)].rstrip("'") + suffix
        n += 1
    return title
