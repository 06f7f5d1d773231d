"""Reading and writing the workbook's tables: what both gateways share, and ``FileBook`` (a file).

``FileBook`` reads with fastexcel (Arrow columns) and saves through the lossless package
writer; ``XlBook`` (``xlbook``) talks to a live Excel.  Both turn canonical frames into the
cells the workbook stores with ``to_columns`` and read cells back through ``parse_table``.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import colcache, schema, values
from .errors import QBError
from .locale import follow_book
from .ooxml import tables as ox
from .ooxml.package import Package, ensure_writable
from .schema import BOOL_LABELS, Table
from .settings import FIELD_DEFAULTS
from .validate import Parsed, parse_table
from .values import ParseOptions

# the tables kept as a columnar copy beside the book (``colcache``): all but the computed ones, which are
# only ever written; the small ones too, so that an action on an unchanged book parses no sheet at all
COPIED_ROLES = ("input", "config", "worklist", "log")
# those whose copy is made again right after this run writes them (an import, the mappings); the worklists and
# logs, rewritten by most actions and read by few, are copied again when next read
WRITTEN_COPIED_ROLES = ("input", "config")


def detect_lang(headers: list[str], table: Table) -> str:
    """A workbook's language, from which labels its headers use."""
    zh = sum(h in {f.zh for f in table.fields} for h in headers)
    en = sum(h in {f.en for f in table.fields} for h in headers)
    return "en" if en > zh else "zh"


def to_columns(table: Table, data: pd.DataFrame, lang: str) -> list[ox.Column]:
    """Typed canonical frame → the cells the workbook stores (serial dates, labels for enums and booleans)."""
    cols = []
    for key in data.columns:
        v = data[key]
        try:
            f = table.field(key)
        except KeyError:  # an extra column kept from the source, written as it came
            numeric = pd.api.types.is_numeric_dtype(v.dtype) and v.dtype != bool
            cols.append(ox.Column(str(key), v if numeric else as_text(v), numeric))
            continue
        header = f.label(lang)
        if f.type in ("datetime", "date"):
            cols.append(ox.Column(header, values.to_excel_serial(pd.to_datetime(v)), True))
        elif f.type in ("integer", "number", "percent"):
            cols.append(ox.Column(header, pd.to_numeric(v, errors="coerce").astype(float), True))
        elif f.type == "bool":
            yes, no = BOOL_LABELS[lang]
            b = v.astype("boolean")
            cols.append(ox.Column(header, b.map({True: yes, False: no}).astype(object).where(b.notna(), None), False))
        elif f.type == "enum":
            labels = f.enum.label_map(lang)
            cols.append(ox.Column(header, v.map(labels), False))
        else:
            cols.append(ox.Column(header, as_text(v), False))
    return cols


def as_text(v: pd.Series) -> pd.Series:
    """Text cells; Arrow text stays Arrow (no Python object per cell)."""
    if pd.api.types.is_string_dtype(v.dtype) and v.dtype != object:
        return v
    if pd.api.types.infer_dtype(v, skipna=True) in ("string", "empty"):
        return v
    return v.map(_as_text, na_action="ignore")


def _as_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def raw_of(frame: pd.DataFrame, first_row: int) -> tuple[pd.DataFrame, pd.Series]:
    """A table as read (typed columns, NaN for empty cells) and each row's sheet row number."""
    rows = pd.Series(np.arange(first_row, first_row + len(frame)), index=frame.index)
    keep = ~frame.isna().all(axis=1).to_numpy()  # the one empty row an empty Excel table keeps
    if keep.all():
        return frame, rows
    return frame[keep], rows[keep]


class TableBook:
    """What the gateways share: typed reads through the schema, the user's header mapping, the log.

    A gateway supplies ``raw(table) -> (frame, sheet rows, error cells)``, ``write``,
    ``has_table``, ``sheet_name``, ``set_cells``, ``fit_charts``, ``check_writable``, ``save``.
    """

    lang = "zh"
    date_order: str | None = None  # "dmy"/"mdy" from the command line; None: the workbook's setting

    def options_for(self, table: Table) -> ParseOptions:
        """Configuration tables are read plainly; data tables with the workbook's settings and value mapping."""
        return ParseOptions() if table.role == "config" else self.options

    @cached_property
    def options(self) -> ParseOptions:
        settings = self.settings
        day_first = {"dmy": True, "mdy": False, "ymd": False}.get(self.date_order or "",
                                                                  bool(settings.get("date_day_first", 0)))
        return ParseOptions(day_first, float(settings.get("utc_offset_h", 8)), self.value_maps(),
                            defaults={k.removeprefix("default_"): v for k, v in self.text_settings.items()
                                      if k in FIELD_DEFAULTS})

    @cached_property
    def settings(self) -> dict[str, float]:
        """The 参数 rows of 监控标准 (DOMAIN.md defaults where a row is missing)."""
        out = {k: float(v) for k, v in schema.SETTING_DEFAULTS}
        if self.has_table(schema.STANDARDS):
            d = self.read(schema.STANDARDS).data
            rows = d[(d["kind"] == "setting") & d["value"].notna()]
            out.update(zip(rows["key"], rows["value"].astype(float)))
        return out

    @cached_property
    def text_settings(self) -> dict[str, str]:
        """The settings of 监控标准 that are not numbers (``pyaddin.settings``) and are filled: their 取值 column."""
        if not self.has_table(schema.STANDARDS):
            return {}
        d = self.read(schema.STANDARDS).data
        rows = d[(d["kind"] == "setting") & d["text"].notna()]
        return {k: str(v).strip() for k, v in zip(rows["key"], rows["text"]) if str(v).strip()}

    def forget_settings(self) -> None:
        """After the mapping tables or settings change within a run: read them again when next needed."""
        for name in ("_mappings", "options", "settings", "text_settings"):
            self.__dict__.pop(name, None)

    def value_maps(self) -> dict[str, dict[str, object]]:
        """The user's value mapping (字段值映射): field → {source value: canonical key}, over the built-ins."""
        if not self.has_table(schema.VALUE_MAPPING):
            return {}
        from .mapping import value_maps

        return value_maps(self.read(schema.VALUE_MAPPING).data)

    def read(self, table: Table, mapping: dict[str, str] | None = None) -> Parsed:
        raw, rows, errors = self.raw(table)
        return parse_table(table, raw, rows, where=self.sheet_name(table), mapping=mapping,
                           opts=self.options_for(table), cell_errors=errors)

    def read_many(self, tables: list[Table]) -> dict[str, Parsed]:
        return {t.key: self.read(t, mapping=self.mapping(t)) for t in tables}

    @cached_property
    def _mappings(self) -> pd.DataFrame:
        if not self.has_table(schema.MAPPING):
            return pd.DataFrame(columns=schema.MAPPING.keys)
        return self.read(schema.MAPPING).data

    def mapping(self, table: Table) -> dict[str, str]:
        """The user's header mapping for ``table``: source header → field key (fields named by key or label)."""
        from .mapping import header_maps

        return header_maps(self._mappings, table)

    def append(self, table: Table, rows: pd.DataFrame) -> None:
        old = self.read(table).data
        self.write(table, pd.concat([old, rows], ignore_index=True) if len(old) else rows)

    def backup(self):
        """Before a write that must be undoable by hand (a merge of returned files). The file gateway keeps
        ``NAME.bak`` at every save, so it has nothing more to do."""
        return None

    def log(self, at, user: str, action: str, target: str, detail: str, result: str = "ok") -> None:
        entry = pd.DataFrame([{"at": at, "user": user, "action": action, "target": target, "detail": detail,
                               "result": result}])
        self.append(schema.LOG, entry)


def file_table(pkg: Package, reader, loc: ox.TableLoc, got=None, errors=None):
    """A table of a workbook file: (frame as stored, sheet row numbers, error cells as (row, header, text)).

    ``got``/``errors``: what was read ahead, if anything.  Error cells come from calamine when the
    table can be read as a sheet range; otherwise the sheet's XML is searched for them."""
    from .prefetch import read_table, read_with_errors

    if got is None:
        both = read_with_errors(reader, loc.sheet, loc.ref, loc.columns)
        if both is not None:
            got, errors = both[0].to_pandas(), both[1]
        else:
            got = read_table(reader, loc.name).to_pandas()
    raw, rows = raw_of(got, loc.bounds[1] + 1)
    if errors is None:
        errors = [(r, loc.columns[c], text) for r, c, text in ox.error_cells(pkg, loc) if c < len(loc.columns)]
    return raw, rows, errors


class FileBook(TableBook):
    """A workbook file on disk. Reads are fast (fastexcel); ``save`` rewrites only changed parts."""

    def __init__(self, path: str | Path, *, date_order: str | None = None, prefetch=None):
        self.path = Path(path)
        self.prefetch = prefetch  # a ``Prefetch`` already reading some tables
        try:
            self.pkg = Package(self.path)
        except QBError as e:
            if e.key != "not_a_workbook":
                raise
            raise QBError("not_qualitybook", path=str(self.path)) from None
        try:
            self.locs = ox.tables(self.pkg)
        except Exception:  # noqa: BLE001 — any zip that is not a workbook of ours
            self.locs = {}
        if "tbl_tickets" not in self.locs:
            self.pkg.close()
            raise QBError("not_qualitybook", path=str(self.path))
        self._reader = None
        self._pending: dict[str, pd.DataFrame] = {}  # written in this run, not saved yet
        self._copying: list[threading.Thread] = []  # columnar copies being written
        self._stored: dict[str, list[ox.Column]] = {}  # the cells of the input tables written in this run
        self.date_order = date_order
        self.lang = detect_lang(self.locs["tbl_tickets"].columns, schema.TICKETS)
        follow_book(self.lang)

    def close(self):
        for th in self._copying:  # the copies being written are finished before the process may end
            th.join()
        self.pkg.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading
    def _fastexcel(self):
        if self._reader is None:
            import fastexcel

            self._reader = fastexcel.read_excel(str(self.path))
        return self._reader

    def has_table(self, table: Table) -> bool:
        return table.name in self.locs

    def sheet_name(self, table: Table) -> str:
        return self.loc(table).sheet

    def loc(self, table: Table) -> ox.TableLoc:
        if table.name not in self.locs:
            raise QBError("table_missing", table=table.name, sheet=table.sheet(self.lang))
        return self.locs[table.name]

    def read(self, table: Table, mapping: dict[str, str] | None = None) -> Parsed:
        if table.name in self._pending:  # what this run wrote is what the file will hold
            data = self._pending[table.name]
            return Parsed(table, data, pd.Series(range(2, 2 + len(data)), index=data.index))
        return self._from_copy(table, mapping) or self._keep_copy(table, mapping, super().read(table, mapping))

    # -- the columnar copy of the input tables (``colcache``)
    def _copy_key(self, table: Table, mapping: dict[str, str] | None, directory=None) -> tuple[dict, str]:
        loc = self.loc(table)
        return (colcache.content_key(directory or self.pkg.directory(), loc.sheet_part, loc.table_part),
                colcache.context_key(mapping, self.options_for(table), self.lang))

    def _from_copy(self, table: Table, mapping: dict[str, str] | None) -> Parsed | None:
        """The table from its columnar copy when the copy is of this very content, parsed this very way."""
        if table.role not in COPIED_ROLES or table.name not in self.locs:
            return None
        self._copy_checked(table)
        got = colcache.load(self.path, table.name, *self._copy_key(table, mapping))
        return None if got is None else Parsed(table, got[0], got[1])

    def rows(self, table: Table):
        """The table for the engine where its columnar copy lies (``engine.rows.Rows``, no pandas frame made of
        it), when the copy is of this very content parsed this very way — a copy exists only of a table read
        without a cell error; None otherwise (then ``read``)."""
        if table.name in self._pending or table.role not in COPIED_ROLES or table.name not in self.locs:
            return None
        self._copy_checked(table)
        key = self._copy_key(table, self.mapping(table))
        from .engine import duck
        from .engine.rows import of_arrow, of_parquet

        if duck.elsewhere() is not None:  # another engine (Spark) is sent the rows themselves
            got = colcache.load_arrow(self.path, table.name, *key)
            return None if got is None else of_arrow(got[0], table, colcache.ROW, where=self.sheet_name(table))
        got = colcache.current(self.path, table.name, *key, pinned=True)
        return None if got is None else of_parquet(got[0], table, colcache.ROW, where=self.sheet_name(table),
                                                   release=got[2])

    def _copy_checked(self, table: Table) -> None:
        """Wait for the read-ahead's look at the table's copy (its check of the copy's bytes is then not repeated)."""
        if self.prefetch is not None:
            self.prefetch.reads_sheet(table.name)

    def _keep_copy(self, table: Table, mapping: dict[str, str] | None, parsed: Parsed, directory=None) -> Parsed:
        """Write the copy of a table read cleanly from its sheet (on a thread: the action goes on meanwhile)."""
        if table.role in COPIED_ROLES and not parsed.issues:
            key = self._copy_key(table, mapping, directory)
            th = threading.Thread(target=colcache.store, args=(self.path, table.name, *key, parsed.data, parsed.rows))
            th.start()
            self._copying.append(th)
        return parsed

    def raw(self, table: Table, source=None):
        """The table as stored; ``source`` a ``Prefetch`` that may have read it already."""
        source = source or self.prefetch
        got = errors = None
        if source is not None and source.reads_sheet(table.name):
            got = source.take(table.name)
            errors = source.errors(table.name) if got is not None else None
        return file_table(self.pkg, self._fastexcel() if got is None else None, self.loc(table), got, errors)

    def _read_sheets(self, tables: list[Table], mappings: dict) -> dict[str, Parsed]:
        """Parse tables from their sheets, reading ahead (``Prefetch``) while earlier ones are parsed."""
        from .prefetch import Prefetch

        given = self.prefetch
        missing = [t.name for t in tables if not (given and given.reads_sheet(t.name))]
        local = Prefetch(self.path, missing, copies=False) if missing else None

        def one(t: Table) -> Parsed:
            raw, rows, errors = self.raw(t, local if t.name in missing else given)
            parsed = parse_table(t, raw, rows, where=self.sheet_name(t), mapping=mappings[t.key],
                                 opts=self.options_for(t), cell_errors=errors)
            return self._keep_copy(t, mappings[t.key], parsed)
        with ThreadPoolExecutor(max_workers=2) as pool:
            return dict(zip((t.key for t in tables), pool.map(one, tables)))

    def read_many(self, tables: list[Table]) -> dict[str, Parsed]:
        """Read and parse the tables: what this run wrote, then the columnar copies, then the sheets."""
        mappings = {t.key: self.mapping(t) for t in tables}
        got: dict[str, Parsed] = {}
        for t in tables:
            self.loc(t)
            parsed = self.read(t) if t.name in self._pending else self._from_copy(t, mappings[t.key])
            if parsed is not None:
                got[t.key] = parsed
        got.update(self._read_sheets([t for t in tables if t.key not in got], mappings))
        return {t.key: got[t.key] for t in tables}

    # -- writing
    def write(self, table: Table, data: pd.DataFrame) -> None:
        columns = to_columns(table, data, self.lang)
        self.locs[table.name] = ox.write_rows(self.pkg, self.loc(table), columns)
        self._pending[table.name] = data
        if table.role in WRITTEN_COPIED_ROLES:
            self._stored[table.name] = columns

    def set_cells(self, table: Table, cells: dict[str, object]) -> None:
        ox.write_cells(self.pkg, self.loc(table).sheet_part, cells)

    def origin(self, table: Table) -> tuple[int, int]:
        c1, top, _, _ = self.loc(table).bounds
        return c1, top

    def place_picture(self, table: Table, png: bytes, name: str) -> None:
        """A picture two columns right of the table's top, replacing the one of that name."""
        from .ooxml.pictures import place_picture

        loc = self.loc(table)
        _, top, c2, _ = loc.bounds
        place_picture(self.pkg, loc.sheet_part, png, name, c2 + 2, top - 1)

    def fit_charts(self, table: Table) -> None:
        loc = self.loc(table)
        c1, top, c2, bottom = loc.bounds
        ox.retarget_charts(self.pkg, loc.sheet_part, loc.sheet, top + 1, bottom, (c1, c2))

    def check_writable(self) -> None:
        ensure_writable(self.path)

    @property
    def dirty(self) -> bool:
        return self.pkg.dirty

    read_only = False  # a file book that cannot be written is refused by check_writable before any action

    def unsaved_changes(self) -> bool:
        return False  # the file is what there is

    def save_in_place(self) -> None:
        """Nothing now: the runner saves the file once the action is done."""

    def save(self, *, backup: bool = True):
        if self._stored:  # an input table written (an import): its million parsed rows are freed before the save
            self._pending.clear()  # streams the sheet (its cells, in ``_stored``, make the sheet and the copy)
        kept = self.pkg.save(backup=backup)
        self.pkg.let_go_of_streams()
        self._copy_written()
        return kept

    def _copy_written(self) -> None:
        """After a save, the columnar copy of each input table this run wrote (an import), keyed on the saved
        parts, so that the next action reads it without parsing the sheet.  It is made from the very cell
        values the sheet was written with, parsed as a read of the sheet parses them (text trimmed, times to
        the millisecond Excel keeps): what the frame in memory held may differ from what the sheet now says."""
        if not self._stored:
            return
        for th in self._copying:  # a copy of what was read before is never written over the new one
            th.join()
        directory = colcache.zip_infos(self.path)
        while self._stored:
            name, columns = self._stored.popitem()
            t, loc = schema.table(name), self.locs[name]
            cells = pd.DataFrame({h: c.values.reset_index(drop=True) for h, c in zip(loc.columns, columns)})
            del columns  # the cells frame holds them now
            raw, rows = raw_of(cells, loc.bounds[1] + 1)
            del cells
            mapping = self.mapping(t)
            parsed = parse_table(t, raw, rows, where=loc.sheet, mapping=mapping, opts=self.options_for(t))
            del raw
            self._keep_copy(t, mapping, parsed, directory)
