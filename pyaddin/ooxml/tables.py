"""Finding Excel Tables (ListObjects) in a package and rewriting one table's rows in place.

Only the table's sheet part and the table part change (and the calculation chain goes).
Inside the sheet part only ``<sheetData>`` and ``<dimension>`` are rewritten (see
``sheetdata``); frozen panes, column widths and styles, data validation, conditional
formats, drawings and the table link stay as the workbook had them.  Strings are written
inline so the shared-strings part is never touched.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from .package import Package
from .sheetdata import Column, SheetWrite, col_index, col_letter, sheet_data_span, split_ref
from .text import excel_text

__all__ = ["Column", "col_letter", "split_ref"]

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


def table_column_names(headers: list[str]) -> list[str]:
    """Names Excel accepts for a table's columns: no line breaks or control characters, unique ignoring case.

    Excel "repairs" a file otherwise (and drops the table); an export with ``Note`` and
    ``note`` or a header with a line break gets ``Note``, ``note (2)``, ``First response``.
    """
    out, seen = [], set()
    for i, h in enumerate(headers):
        name = " ".join(_CONTROL.sub(" ", str(h)).split()) or f"列{i + 1}"
        base, n = name, 2
        while name.casefold() in seen:
            name = f"{base} ({n})"
            n += 1
        seen.add(name.casefold())
        out.append(name)
    return out


_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")
_COLS = re.compile(rb"<cols>.*?</cols>", re.S)
_COL = re.compile(rb'<col\b[^>]*?min="(\d+)"[^>]*?max="(\d+)"[^>]*?>')
_STYLE = re.compile(rb'style="(\d+)"')
_HEADER_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\bs="(\d+)"')


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


def _header_style(xml: bytes, c1: int, top: int) -> str:
    ref = f'<c r="{col_letter(c1)}{top}"'.encode()
    at = xml.find(ref)
    if at < 0:
        return ""
    m = _HEADER_CELL.match(xml, at)
    return m.group(3).decode() if m else ""


_ROW_END = b"</row>"


def body_styles(xml: bytes, c1: int, c2: int, row: int) -> dict[int, str]:
    """Column index (0-based) → style index of the table's first body row's cells, where the build styled them:
    tables sharing a sheet's columns (the overview's blocks) each keep their own number formats."""
    at = xml.find(f'<row r="{row}"'.encode())
    if at < 0:
        return {}
    end = xml.find(_ROW_END, at)
    cells = _HEADER_CELL.finditer(xml[at:end if end > 0 else len(xml)])
    return {c: m.group(3).decode() for m in cells if int(m.group(2)) == row and c1 <= (c := col_index(m.group(1))) <= c2}


def write_rows(pkg: Package, loc: TableLoc, columns: list[Column]) -> TableLoc:
    """Replace the table's header and rows with ``columns``; return the new location.

    Nothing is built here: the sheet part is streamed into the zip when the package is saved.
    """
    headers = table_column_names([c.header for c in columns])
    columns = [Column(h, c.values, c.numeric) for h, c in zip(headers, columns)]
    xml = pkg.read(loc.sheet_part)
    c1, top, c2_old, bottom_old = loc.bounds
    styles = column_styles(xml) | body_styles(xml, c1, c2_old, top + 1)
    plan = SheetWrite(xml, (c1, top, c2_old, bottom_old), columns, _header_style(xml, c1, top), styles, loc.sheet)
    plan.suffix = fit_formats(plan.suffix, (c1, top + 1, max(c2_old, plan.c2), bottom_old), plan.bottom)
    pkg.write_stream(loc.sheet_part, plan.chunks)
    ref = plan.ref()
    pkg.write(loc.table_part, _table_xml(pkg.read(loc.table_part), ref, headers))
    drop_calc_chain(pkg)
    return TableLoc(loc.name, loc.sheet, loc.sheet_part, loc.table_part, ref, headers)


_SQREF = re.compile(rb'(<conditionalFormatting\b[^>]*?\bsqref=")([^"]*)(")')


def fit_formats(xml: bytes, body: tuple[int, int, int, int], new_last: int) -> bytes:
    """Conditional formats over a table's rows follow the table, as in Excel: a range within the table's
    columns that runs from its first data row to its old last row ends at ``new_last``.  Formats are laid
    over the rows they colour only (a range to row 1 048 576 would also colour what lies below)."""
    c1, first, c2, old_last = body

    def fit(m):
        out = []
        for ref in m.group(2).decode().split():
            a, r1, b, r2 = split_ref(ref)
            if c1 <= a <= b <= c2 and r1 == first and r2 == old_last:
                ref = f"{col_letter(a)}{r1}:{col_letter(b)}{new_last}"
            out.append(ref)
        return m.group(1) + " ".join(out).encode() + m.group(3)
    return _SQREF.sub(fit, xml)


def write_cells(pkg: Package, sheet_part: str, values: dict[str, object]) -> None:
    """Set single cells (text or numbers) on a small sheet, keeping every other cell."""
    xml = pkg.read(sheet_part)
    start, end = sheet_data_span(xml)
    data = xml[start:end]
    rows: dict[int, bytes] = {int(r.group(1)): r.group(0) for r in re.finditer(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', data, re.S)}
    for ref, value in values.items():
        c, r, _, _ = split_ref(ref)
        if isinstance(value, (int, float)):
            cell = f'<c r="{ref}"><v>{value!r}</v></c>'.encode()
        else:
            t = excel_text(str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            cell = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_CONTROL.sub("", t)}</t></is></c>'.encode()
        row = rows.get(r, f'<row r="{r}"></row>'.encode())
        if row.endswith(b"/>"):
            row = row[:-2] + b"></row>"
        head = row[:row.index(b">") + 1]
        cells = [(col_index(x.group(1)), x.group(0)) for x in re.finditer(rb'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', row, re.S)
                 if col_index(x.group(1)) != c]
        cells.append((c, cell))
        rows[r] = head + b"".join(x for _, x in sorted(cells)) + b"</row>"
    new = b"<sheetData>" + b"".join(rows[r] for r in sorted(rows)) + b"</sheetData>"
    pkg.write(sheet_part, xml[:start] + new + xml[end:])
    drop_calc_chain(pkg)


CALC_CHAIN = "xl/calcChain.xml"


def drop_calc_chain(pkg: Package) -> None:
    """A changed sheet makes Excel's calculation chain stale: remove it (and its relationship and content
    type) so that Excel rebuilds it instead of reporting "removed records" (ECMA-376 Part 1, 18.6)."""
    if CALC_CHAIN not in pkg:
        return
    pkg.drop(CALC_CHAIN)
    rels = "xl/_rels/workbook.xml.rels"
    if rels in pkg:
        root = parse_xml(pkg.read(rels))
        for r in list(root):
            if r.get("Target", "").lstrip("/").replace("xl/", "") == "calcChain.xml":
                root.remove(r)
        pkg.write(rels, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    types = parse_xml(pkg.read("[Content_Types].xml"))
    for o in list(types):
        if o.get("PartName") == "/" + CALC_CHAIN:
            types.remove(o)
    pkg.write("[Content_Types].xml", etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True))


_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*?>\s*(?:<f[^>]*?(?:/>|>.*?</f>)\s*)?<v>([^<]*)</v>', re.S)


def error_cells(pkg: Package, loc: TableLoc) -> list[tuple[int, int, str]]:
    """(row, column offset in the table, error text) of every error cell (#N/A, #VALUE!…) in the table's body.

    The fast readers return such cells as empty; a value that is an error must be reported, not blanked.
    """
    if not pkg.find(loc.sheet_part, b't="e"'):
        return []
    xml = pkg.read(loc.sheet_part)
    c1, top, c2, bottom = loc.bounds
    out = []
    for m in _ERROR_CELL.finditer(xml):
        c, r = col_index(m.group(1)), int(m.group(2))
        if top < r <= bottom and c1 <= c <= c2:
            out.append((r, c - c1, m.group(3).decode()))
    return out


REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
REL_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"


def retarget_charts(pkg: Package, sheet_part: str, sheet_name: str, first_row: int, last_row: int,
                    columns: tuple[int, int] | None = None) -> None:
    """Make every single-column chart range on ``sheet_part`` that starts at ``first_row`` end at ``last_row``; with
    ``columns`` (0-based, inclusive) only those in the table's columns (another table's charts may start on the
    same row)."""
    sheet = ("'" + sheet_name.replace("'", "''") + "'").encode("utf-8")
    pattern = re.compile(re.escape(sheet) + rb"!\$([A-Z]+)\$" + str(first_row).encode() + rb"(?::\$[A-Z]+\$\d+)?(?!\d)")

    def stretch(mm):
        col = mm.group(1)
        if columns and not columns[0] <= col_index(col) <= columns[1]:
            return mm.group(0)
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
