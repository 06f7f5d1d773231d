"""Reading a workbook a department sent back, trusting nothing in it.

Only a regular file is opened (never a FIFO, which would hang, or a device such as /dev/zero, which
never ends), and only a plain .xlsx, after its size, its zip directory (entry count, unpacked size,
each part's size, compression ratio) and its first bytes (an encrypted workbook is an OLE container,
not a zip) have been looked at.  Every XML part is parsed with defusedxml, which refuses document
types and entities (the "billion laughs"), so an XML bomb costs nothing.  Macros are never run:
a workbook holding a VBA project is refused.  Formulas are never evaluated: a formula cell is
read as its text, and hyperlinks and external links are not read at all.

Parsing stays linear in a part's size.  Expat before 2.6 re-scans a token that spans the chunks it is
fed (``iterparse``: 16 kB, ``fromstring``: 1 MB), so one huge comment costs its length squared: the
comments, which carry nothing, are cut out first (``_without_comments``), and no part may exceed
``MAX_PART``, which bounds any other long token.
A cell or row number beyond Excel's limits (row 1 048 576, column XFD) refuses the file as soon as
it is read, before any grid is built for it.
"""
from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..core import dispatch
from ..errors import QBError
from ..ooxml.sheetdata import col_index
from ..ooxml.tables import rels_part, resolve

MAX_FILE = 10 * 1024 * 1024  # a department's workbook is a few dozen kB
MAX_ENTRIES = 500
MAX_UNPACKED = 100 * 1024 * 1024
MAX_PART = 16 * 1024 * 1024  # one sheet of a department's workbook is tens of kB unpacked
MAX_ROW, MAX_COL = 1_048_576, 16_384  # Excel's last row and column (XFD)
MAX_GRID = 4_000_000  # cells from A1 to each row's last filled cell, summed: far beyond any real return
MAX_RATIO = 100  # deflate rarely beats 20:1 on a real sheet; a bomb is thousands to one
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted (password) workbook, or an old .xls
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|macrosheet|ms-excel\.intlmacrosheet", re.I)  # VBA, Excel 4 macros
CORE_BY = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy"


class Refused(QBError):
    """The whole file is refused: ``key`` names the reason in both languages."""


@dataclass
class Returned:
    path: Path
    sheets: dict[str, dict[tuple[int, int], object]]  # sheet name → {(row, column): value}, 1-based
    formulas: set[tuple[str, int, int]] = field(default_factory=set)
    untouched: bool = False  # the file as it was sent: saved by nobody since

    def rows(self, sheet: str) -> list[list]:
        """The sheet's cells as rows (row 1 first), each as long as its last filled cell."""
        by_row: dict[int, dict[int, object]] = {}
        for (r, c), v in self.sheets.get(sheet, {}).items():
            by_row.setdefault(r, {})[c] = v
        if not by_row:
            return []
        return [[by_row.get(r, {}).get(c) for c in range(1, max(by_row.get(r, {0: None})) + 1)] if r in by_row else []
                for r in range(1, max(by_row) + 1)]


def shown_name(name: str) -> str:
    """A file name as printed: control and format characters escaped (``\\x1b``), so a name cannot
    move the cursor, clear the screen or hide part of itself."""
    return "".join(ch if unicodedata.category(ch)[0] != "C" else
                   (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") for ch in name)


def _refuse(key: str, path: Path, **kw):
    raise Refused(key, exit_code=1, file=shown_name(path.name), **kw)


def _load(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of at most ``MAX_FILE``: looked at before it is opened, and
    opened without waiting (a FIFO swapped in meanwhile is seen by ``fstat`` and never read)."""
    try:
        st = os.stat(path)  # follows a symbolic link, opens nothing
    except OSError:
        _refuse("return_corrupt", path)
    if not stat.S_ISREG(st.st_mode):
        _refuse("return_not_regular", path)
    if st.st_size > MAX_FILE:
        _refuse("return_too_large", path, mb=MAX_FILE // (1024 * 1024))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        _refuse("return_corrupt", path)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            _refuse("return_not_regular", path)
        data = f.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        _refuse("return_too_large", path, mb=MAX_FILE // (1024 * 1024))
    return data


def _without_comments(data: bytes) -> bytes:
    """The XML without its comments, in one pass (a regular expression would go quadratic on unclosed ones)."""
    start = data.find(b"<!--")
    if start < 0:
        return data
    out, pos = [], 0
    while start >= 0:
        end = data.find(b"-->", start + 4)
        if end < 0:
            break  # unclosed: left for the parser to refuse
        out.append(data[pos:start])
        pos = end + 3
        start = data.find(b"<!--", pos)
    out.append(data[pos:])
    return b"".join(out)


def _parse(data: bytes, path: Path):
    try:
        return SafeET.fromstring(_without_comments(data), forbid_dtd=True)
    except DefusedXmlException:
        _refuse("return_xml_unsafe", path)
    except ParseError:
        _refuse("return_corrupt", path)


def check_container(path: Path) -> zipfile.ZipFile:
    """The checks made before any part is read; the open zip if they pass."""
    data = _load(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        _refuse("return_macro_file", path)
    if suffix != ".xlsx":
        _refuse("return_not_xlsx", path)
    if data[:8] == OLE_MAGIC:
        _refuse("return_encrypted", path)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse("return_corrupt", path)
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED or any(
            i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos):
        z.close()
        _refuse("return_bomb", path)
    big = [i.filename for i in infos if i.file_size > MAX_PART]
    if big:
        z.close()
        _refuse("return_part_too_large", path, part=shown_name(big[0]), mb=MAX_PART // (1024 * 1024))
    if any(i.filename.lower().endswith("vbaproject.bin") or _is_ole(z, i) for i in infos):
        z.close()
        _refuse("return_macro_file", path)
    return z


def _is_ole(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A part that is an OLE container: a VBA project, whatever the part is called (only 8 bytes are unpacked)."""
    if info.file_size < len(OLE_MAGIC):
        return False
    try:
        with z.open(info) as f:
            return f.read(len(OLE_MAGIC)) == OLE_MAGIC
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError, NotImplementedError):
        return False  # read again, and refused as damaged, when the part is needed


def _read(z: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        info = z.getinfo(name)
        with z.open(info) as f:  # never more than the directory declared (and checked) above
            data = f.read(info.file_size + 1)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError):
        _refuse("return_corrupt", path)
    if len(data) > info.file_size:
        _refuse("return_bomb", path)
    return data


def _rels(z, part: str, path: Path) -> dict[str, tuple[str, str]]:
    name = rels_part(part)
    if name not in z.namelist():
        return {}
    out = {}
    for r in _parse(_read(z, name, path), path).iter(REL + "Relationship"):
        target = r.get("Target", "")
        if r.get("TargetMode") == "External":  # links out of the file are never followed
            continue
        out[r.get("Id")] = (r.get("Type", "").rsplit("/", 1)[-1], resolve(part, target))
    return out


_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")  # at most XFD1048576: longer is refused unread


def _position(ref: str | None, row: int, col: int, sheet: str, path: Path) -> tuple[int, int]:
    """(row, column) of a cell, 1-based: its ``r``, else the one after the previous cell of its row."""
    if ref is None:
        r, c = row, col + 1
    else:
        m = _REF.fullmatch(ref)
        if not m:
            _refuse("return_bad_cell", path, sheet=sheet, ref=shown_name(ref[:20]))
        r, c = int(m.group(2)), col_index(m.group(1)) + 1
    if c > MAX_COL or r > MAX_ROW:
        _refuse("return_bad_cell", path, sheet=sheet, ref=shown_name((ref or f"#{c}")[:20]))
    return r, c


def _row_number(row, previous: int, sheet: str, path: Path) -> int:
    """A row's number: its ``r`` (digits, after the previous row, at most Excel's last), else the next one."""
    r = row.get("r")
    if r is None:
        n = previous + 1
    elif r.isascii() and r.isdigit() and len(r) <= 7:
        n = int(r)
    else:
        n = 0
    if not previous < n <= MAX_ROW:
        _refuse("return_bad_cell", path, sheet=sheet, ref=shown_name(f"<row r={r[:20] if r else n}>"))
    return n


def _text(node) -> str:
    """A string item: its text and rich-text runs, without phonetic hints (``rPh``)."""
    if node is None:
        return ""
    parts = []
    for child in node:
        if child.tag == MAIN + "t":
            parts.append(child.text or "")
        elif child.tag == MAIN + "r":
            parts.append(child.findtext(MAIN + "t") or "")
    return "".join(parts)


def read_return(path: str | Path) -> Returned:
    """A returned workbook's sheets as values, after every safety check; ``Refused`` otherwise."""
    path = Path(path)
    z = check_container(path)
    with z:
        names = set(z.namelist())
        if "[Content_Types].xml" not in names:
            _refuse("return_corrupt", path)
        types = _read(z, "[Content_Types].xml", path)
        _parse(types, path)
        if MACRO_TYPES.search(types):
            _refuse("return_macro_file", path)
        main = [t for typ, t in _rels(z, "", path).values() if typ == "officeDocument"]
        if not main or main[0] not in names:
            _refuse("return_corrupt", path)
        book = _parse(_read(z, main[0], path), path)
        rels = _rels(z, main[0], path)
        if any(MACRO_TYPES.search(typ.encode()) for typ, _ in rels.values()):
            _refuse("return_macro_file", path)
        shared = []
        for typ, target in rels.values():
            if typ == "sharedStrings" and target in names:
                shared = [_text(si) for si in _parse(_read(z, target, path), path).iter(MAIN + "si")]
        untouched = False
        if "docProps/core.xml" in names:
            core = _parse(_read(z, "docProps/core.xml", path), path)
            untouched = (core.findtext(CORE_BY) or "") == dispatch.SENDER
        sheets, formulas = {}, set()
        for s in book.iter(MAIN + "sheet"):
            typ, target = rels.get(s.get(RID), ("", ""))
            if typ != "worksheet" or target not in names:
                continue
            name = s.get("name")
            sheets[name] = _cells(_parse(_read(z, target, path), path), shared, name, formulas, path)
    return Returned(path, sheets, formulas, untouched)


def _cells(root, shared: list[str], sheet: str, formulas: set, path: Path) -> dict[tuple[int, int], object]:
    out = {}
    r_num, grid = 0, 0
    for row in root.iter(MAIN + "row"):
        r_num = _row_number(row, r_num, sheet, path)
        col = last = 0
        for c in row.findall(MAIN + "c"):
            r, col = _position(c.get("r"), r_num, col, sheet, path)
            last = max(last, col)
            f = c.find(MAIN + "f")
            t, v = c.get("t", "n"), c.findtext(MAIN + "v")
            if f is not None:  # a formula is never evaluated nor kept as one: its text is the value
                formulas.add((sheet, r, col))
                value = "=" + (f.text or "")
            elif t == "s":
                value = shared[int(v)] if v is not None and v.isdigit() and int(v) < len(shared) else None
            elif t == "inlineStr":
                value = _text(c.find(MAIN + "is"))
            elif t in ("str", "e"):
                value = v
            elif t == "b":
                value = v == "1"
            else:
                try:
                    value = float(v) if v not in (None, "") else None
                except ValueError:
                    value = v
            if value is not None and value != "":
                out[(r, col)] = value
        grid += last
        if grid + r_num > MAX_GRID:  # what ``Returned.rows`` would build
            _refuse("return_too_many_cells", path, sheet=sheet)
    return out


def hidden_sheet(ret: Returned) -> tuple[dict[str, str], list[list[str]], list[list[str]]] | None:
    """(meta, item rows, every row as text) of the hidden sheet; None when the file has none of ours."""
    rows = ret.rows(dispatch.HIDDEN_SHEET)
    text = [["" if v is None else (str(v) if not isinstance(v, float) else format(v, ".15g")) for v in row]
            for row in rows]
    meta = {row[0]: row[1] for row in text[:8] if len(row) >= 2}
    if meta.get("format") != dispatch.FORMAT:
        return None
    items = [row for row in text[9:] if any(row)]
    return meta, items, text
