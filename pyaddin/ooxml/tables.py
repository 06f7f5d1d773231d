"""Finding Excel Tables (ListObjects) in a package and rewriting one table's rows in place.

Only the table's sheet part and the table part change.  Inside the sheet part only
``<sheetData>`` rows from the table's header down and ``<dimension>`` are rewritten;
frozen panes, column widths and styles, data validation, conditional formats, drawings
and the table link stay as the workbook had them.  Strings are written inline so the
shared-strings part is never touched.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from lxml import etree

from .package import Package

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
REL_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def rels_part(part: str) -> str:
    d, f = posixpath.split(part)
    return posixpath.join(d, "_rels", f + ".rels")


def relationships(pkg: Package, part: str) -> list[tuple[str, str, str]]:
    """(id, type, resolved target) of a part's relationships."""
    rp = rels_part(part)
    if rp not in pkg:
        return []
    root = parse_xml(pkg.read(rp))
    return [(r.get("Id"), r.get("Type"), resolve(part, r.get("Target")) if r.get("TargetMode") != "External"
             else r.get("Target")) for r in root.findall("rel:Relationship", NS)]


def col_letter(i: int) -> str:
    """0-based column index → Excel letters."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


_REF = re.compile(r"^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$")


def split_ref(ref: str) -> tuple[int, int, int, int]:
    """'B3:F10' → (first col, first row, last col, last row), columns 0-based, rows 1-based."""
    m = _REF.match(ref.replace("$", ""))
    c1, r1 = col_index(m.group(1)), int(m.group(2))
    c2, r2 = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return c1, r1, c2, r2


@dataclass
class TableLoc:
    name: str
    sheet: str
    sheet_part: str
    table_part: str
    ref: str
    columns: list[str]

    @property
    def bounds(self):
        return split_ref(self.ref)


def sheets(pkg: Package) -> list[tuple[str, str]]:
    """(sheet name, sheet part) in workbook order."""
    wb = parse_xml(pkg.read("xl/workbook.xml"))
    rels = {rid: target for rid, _, target in relationships(pkg, "xl/workbook.xml")}
    out = []
    for s in wb.find("m:sheets", NS):
        out.append((s.get("name"), rels[s.get(f"{{{NS['r']}}}id")]))
    return out


def tables(pkg: Package) -> dict[str, TableLoc]:
    """Every table of the workbook by its name."""
    found = {}
    for sheet, part in sheets(pkg):
        for _, typ, target in relationships(pkg, part):
            if typ != REL_TABLE:
                continue
            t = parse_xml(pkg.read(target))
            cols = [c.get("name") for c in t.find("m:tableColumns", NS)]
            found[t.get("name")] = TableLoc(t.get("name"), sheet, part, target, t.get("ref"), cols)
    return found


@dataclass
class Column:
    """One output column: its header and either numbers (NaN = empty) or text (None = empty)."""

    header: str
    values: pd.Series
    numeric: bool


def _number_text(v: pd.Series) -> pd.Series:
    arr = v.to_numpy(dtype=float)
    ints = np.isfinite(arr) & (arr == np.round(arr)) & (np.abs(arr) < 1e15)
    out = pd.Series(arr, index=v.index).map(repr).astype(object)
    out[ints] = pd.Series(arr[ints].astype(np.int64), index=v.index[ints]).astype(str).astype(object)
    return out


def _cells(col: Column, letter: str, rownums: pd.Series, style: str) -> pd.Series:
    """The XML of each cell in a column ('' where the cell is empty)."""
    s = f' s="{style}"' if style else ""
    refs = (f'<c r="{letter}' + rownums).astype(object)  # plain Python strings: no Arrow string arithmetic
    if col.numeric:
        vals = col.values.astype(float)
        ok = vals.notna().to_numpy()
        out = pd.Series("", index=vals.index, dtype=object)
        out[ok] = refs[ok] + f'"{s}><v>' + _number_text(vals[ok]) + "</v></c>"
        return out
    vals = col.values
    ok = vals.notna().to_numpy()
    out = pd.Series("", index=vals.index, dtype=object)
    text = vals[ok].astype(object).map(lambda t: escape(_xml_safe(str(t)))).astype(object)
    space = text.str.match(r"^\s|.*\s$").to_numpy()
    t_open = np.where(space, '<t xml:space="preserve">', "<t>")
    out[ok] = refs[ok] + f'"{s} t="inlineStr"><is>' + t_open + text + "</t></is></c>"
    return out


_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(t: str) -> str:
    return _BAD_XML_CHARS.sub("", t)


_COLS = re.compile(rb"<cols>.*?</cols>", re.S)
_COL = re.compile(rb'<col\b[^>]*?min="(\d+)"[^>]*?max="(\d+)"[^>]*?>')
_STYLE = re.compile(rb'style="(\d+)"')
_SHEETDATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_ROW = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"[^>]*?(?:/>|>.*?</row>)", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_HEADER_STYLE = re.compile(rb'<c r="[A-Z]+\d+"[^>]*?\bs="(\d+)"')


def column_styles(sheet_xml: bytes) -> dict[int, str]:
    """Column index (0-based) → style index of the ``<col>`` definitions the build wrote."""
    styles: dict[int, str] = {}
    m = _COLS.search(sheet_xml)
    if not m:
        return styles
    for col in _COL.finditer(m.group(0)):
        st = _STYLE.search(col.group(0))
        if st:
            for i in range(int(col.group(1)) - 1, int(col.group(2))):
                styles[i] = st.group(1).decode()
    return styles


MERGE_LIMIT = 2_000_000  # sheets smaller than this may share rows with other content: merge cell by cell
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def write_rows(pkg: Package, loc: TableLoc, columns: list[Column]) -> TableLoc:
    """Replace the table's header and rows with ``columns``; return the new location."""
    c1, top, c2_old, bottom_old = loc.bounds
    xml = pkg.read(loc.sheet_part)
    styles = column_styles(xml)
    m = _SHEETDATA.search(xml)
    old = m.group(0)
    header_row = next((r.group(0) for r in _ROW.finditer(old) if int(r.group(1)) == top), b"")
    hs = _HEADER_STYLE.search(header_row)
    header_style = hs.group(1).decode() if hs else ""

    n = len(columns[0].values) if columns else 0
    letters = [col_letter(c1 + i) for i in range(len(columns))]
    hs_attr = f' s="{header_style}"' if header_style else ""
    header_cells = [f'<c r="{letter}{top}"{hs_attr} t="inlineStr"><is><t>{escape(col.header)}</t></is></c>'
                    for letter, col in zip(letters, columns)]
    rownums = pd.Series(np.arange(top + 1, top + 1 + n).astype(str), dtype=object)
    body = [_cells(Column(col.header, col.values.reset_index(drop=True), col.numeric), letter, rownums,
                   styles.get(c1 + i, "")) for i, (letter, col) in enumerate(zip(letters, columns))]
    last_row = top + max(n, 1)
    ref = f"{letters[0]}{top}:{letters[-1]}{last_row}"
    if len(xml) < MERGE_LIMIT:  # small sheet: keep every cell outside the table's old and new area
        cells = {top: [(c1 + i, h) for i, h in enumerate(header_cells)]}
        for i, col_cells in enumerate(body):
            for r, cell in zip(range(top + 1, top + 1 + n), col_cells):
                if cell:
                    cells.setdefault(r, []).append((c1 + i, cell))
        area = (c1, top, max(c2_old, c1 + len(columns) - 1), max(bottom_old, last_row))
        new_data = _merge(old.decode("utf-8"), cells, area)
    else:  # a data sheet of its own: rows above the table are kept, the rest is the table
        above = [r.group(0) for r in _ROW.finditer(old) if int(r.group(1)) < top]
        parts = [b"<sheetData>", *above, f'<row r="{top}">{"".join(header_cells)}</row>'.encode()]
        if n:
            rows = rownums.radd('<row r="') + '">'
            for col_cells in body:
                rows = rows + col_cells
            parts.append("".join((rows + "</row>").tolist()).encode("utf-8"))
        parts.append(b"</sheetData>")
        new_data = b"".join(parts)
    new = xml[:m.start()] + new_data + xml[m.end():]
    pkg.write(loc.sheet_part, _dimension(new))
    pkg.write(loc.table_part, _table_xml(pkg.read(loc.table_part), ref, [c.header for c in columns]))
    return TableLoc(loc.name, loc.sheet, loc.sheet_part, loc.table_part, ref, [c.header for c in columns])


def write_cells(pkg: Package, sheet_part: str, values: dict[str, object]) -> None:
    """Set single cells (text or numbers) on a small sheet, keeping every other cell."""
    xml = pkg.read(sheet_part)
    m = _SHEETDATA.search(xml)
    text = m.group(0).decode("utf-8")
    for ref, value in values.items():
        c, r, _, _ = split_ref(ref)
        if isinstance(value, (int, float)):
            cell = f'<c r="{ref}"><v>{value!r}</v></c>'
        else:
            cell = f'<c r="{ref}" t="inlineStr"><is><t>{escape(_xml_safe(str(value)))}</t></is></c>'
        text = _merge(text, {r: [(c, cell)]}, (c, r, c, r)).decode("utf-8")
    pkg.write(sheet_part, _dimension(xml[:m.start()] + text.encode("utf-8") + xml[m.end():]))


def _merge(sheet_data: str, new_cells: dict[int, list[tuple[int, str]]], area: tuple[int, int, int, int]) -> bytes:
    """Old rows minus the cells inside ``area`` (c1, r1, c2, r2), plus ``new_cells``; rows and cells in order."""
    c1, r1, c2, r2 = area
    rows: dict[int, list[tuple[int, str]]] = {}
    attrs: dict[int, str] = {}
    for rm in _ROW.finditer(sheet_data.encode("utf-8")):
        r = int(rm.group(1))
        row = rm.group(0).decode("utf-8")
        head = row[:row.index(">") + 1]
        attrs[r] = head[:-2] + ">" if head.endswith("/>") else head
        kept = []
        for cm in _CELL.finditer(row):
            c = col_index(cm.group(1))
            if not (r1 <= r <= r2 and c1 <= c <= c2):
                kept.append((c, cm.group(0)))
        rows[r] = kept
    for r, cells in new_cells.items():
        rows.setdefault(r, []).extend(cells)
    out = ["<sheetData>"]
    for r in sorted(rows):
        cells = sorted(rows[r], key=lambda x: x[0])
        if not cells and r1 <= r <= r2:
            continue
        out.append((attrs.get(r) or f'<row r="{r}">') + "".join(x for _, x in cells) + "</row>")
    out.append("</sheetData>")
    return "".join(out).encode("utf-8")


def _dimension(xml: bytes) -> bytes:
    """Recompute <dimension> from the rows and cells present (cheap: first and last row only)."""
    m = _SHEETDATA.search(xml)
    rows = list(_ROW.finditer(m.group(0))) if len(xml) < MERGE_LIMIT else None
    if rows is None:
        first = _ROW.search(m.group(0))
        last_r = m.group(0).rfind(b'<row r="')
        last = _ROW.match(m.group(0), last_r) if last_r >= 0 else None
        rows = [x for x in (first, last) if x]
    if not rows:
        return xml
    max_col = 0
    for r in rows:
        for cm in re.finditer(rb'<c r="([A-Z]+)\d+"', r.group(0)):
            max_col = max(max_col, col_index(cm.group(1).decode()))
    ref = f"A{int(rows[0].group(1))}:{col_letter(max_col)}{int(rows[-1].group(1))}"
    return _DIMENSION.sub(f'<dimension ref="{ref}"/>'.encode(), xml, count=1)


REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
REL_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"


def retarget_charts(pkg: Package, sheet_part: str, sheet_name: str, first_row: int, last_row: int) -> None:
    """Make every single-column chart range on ``sheet_part`` that starts at ``first_row`` end at ``last_row``."""
    sheet = ("'" + sheet_name.replace("'", "''") + "'").encode("utf-8")
    pattern = re.compile(re.escape(sheet) + rb"!\$([A-Z]+)\$" + str(first_row).encode() + rb"(?::\$[A-Z]+\$\d+)?(?!\d)")

    def stretch(mm):
        col = mm.group(1)
        return sheet + b"!$" + col + b"$" + str(first_row).encode() + b":$" + col + b"$" + str(last_row).encode()
    for _, typ, drawing in relationships(pkg, sheet_part):
        if typ != REL_DRAWING:
            continue
        for _, ctyp, chart in relationships(pkg, drawing):
            if ctyp == REL_CHART:
                pkg.write(chart, pattern.sub(stretch, pkg.read(chart)))


def _table_xml(data: bytes, ref: str, headers: list[str]) -> bytes:
    t = parse_xml(data)
    t.set("ref", ref)
    af = t.find("m:autoFilter", NS)
    if af is not None:
        af.set("ref", ref)
    cols = t.find("m:tableColumns", NS)
    existing = {c.get("name"): c for c in cols}
    next_id = max([int(c.get("id")) for c in cols] + [0]) + 1
    for c in list(cols):
        cols.remove(c)
    for h in headers:
        c = existing.get(h)
        if c is None:
            c = etree.SubElement(cols, f"{{{NS['m']}}}tableColumn", id=str(next_id), name=h)
            next_id += 1
        else:
            cols.append(c)
    cols.set("count", str(len(headers)))
    return etree.tostring(t, xml_declaration=True, encoding="UTF-8", standalone=True)
