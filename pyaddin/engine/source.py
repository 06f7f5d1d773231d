"""Where a table's rows live (``source.<table>`` on 监控标准, or ``--source TABLE=WHERE``): the workbook's own
table (blank), a Parquet file, folder or glob, a CSV folder (imported once into Parquet beside it), or a DuckDB
database file holding a table named like the canonical one (``tickets`` or ``tbl_tickets``).

An outside source holds typed columns under the canonical names or under headers mapped on 字段映射 (matched as
an import matches them); DuckDB reads it where it lies, keeps the department of ``source.filter`` and the columns
the calculation uses, and only those come back.  ``spark://…``, ``sc://…`` and ``local[*]`` name a Spark
session (``MASTER#TABLE``: a table of its catalog or a Parquet path it reads; the master alone: the table named like the
canonical one), which needs the optional extra (``pip install qualitybook[spark]``): then every query of the
action runs on Spark, the same SQL text carried there by sqlglot (``engine.spark``)."""
from __future__ import annotations

import glob as globbing
from dataclasses import dataclass
from pathlib import Path

from ..errors import QBError
from .rows import SQL_TYPES
from .spark import split as split_spark

TABLES = ("tickets", "surveys", "inspections", "calls")
BOOK, PARQUET, CSV, DUCKDB, SPARK = "book", "parquet", "csv", "duckdb", "spark"


@dataclass(frozen=True)
class Source:
    table: str  # tickets | surveys | inspections | calls
    where: str  # as written (a path relative to the book's folder, or a Spark address)
    kind: str
    path: Path | None = None

    @property
    def outside(self) -> bool:
        return self.kind != BOOK


def setting_key(table: str) -> str:
    return f"source.{table}"


def locate(table: str, where: str | None, base: Path) -> Source:
    """What ``where`` names, for ``table``; a path that leads to nothing readable says so."""
    text = (where or "").strip()
    if not text:
        return Source(table, "", BOOK)
    if text.startswith(("spark://", "sc://", "local[")) or text == "local":
        return Source(table, text, SPARK)
    path = Path(text).expanduser()
    path = path if path.is_absolute() else base / path
    if path.suffix.lower() in (".duckdb", ".db"):
        if not path.is_file():
            raise QBError("source_missing", table=table, where=text)
        return Source(table, text, DUCKDB, path)
    if any(c in text for c in "*?["):
        if not globbing.glob(str(path), recursive=True):
            raise QBError("source_missing", table=table, where=text)
        return Source(table, text, PARQUET, path)
    if path.is_file() and path.suffix.lower() == ".parquet":
        return Source(table, text, PARQUET, path)
    if path.is_dir():
        if any(path.rglob("*.parquet")):
            return Source(table, text, PARQUET, path)
        if any(path.glob("*.csv")):
            return Source(table, text, CSV, path)
    if not path.exists():
        raise QBError("source_missing", table=table, where=text)
    raise QBError("source_unreadable", table=table, where=text)


FILTER_FIELDS = {"department": "department", "部门": "department", "channel": "channel", "渠道": "channel",
                 "agent": "agent", "坐席": "agent", "客服": "agent"}


def parse_filter(text: str | None) -> tuple[str, str] | None:
    """``department:售后服务部`` → (field, value); blank → None."""
    text = (text or "").strip()
    if not text:
        return None
    field, found, value = text.replace("：", ":").partition(":")
    field = FILTER_FIELDS.get(field.strip().lower())
    if not found or field is None or not value.strip():
        raise QBError("source_bad_filter", value=text)
    return field, value.strip()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def scan_sql(source: Source, base: Path | None = None) -> str:
    """The relation the source's rows are read from, as the engine reads it where it lies."""
    if source.kind == SPARK:
        return spark_relation(source, base or Path.cwd())
    if source.kind == PARQUET:
        p = source.path
        where = str(p / "**" / "*.parquet") if p.is_dir() else str(p)
        return f"read_parquet({_text(where)}, union_by_name = true)"
    raise QBError("source_unreadable", table=source.table, where=source.where)


def canonical_sql(con, source: Source, mapping: dict[str, str] | None, only=None,
                  values: dict[str, dict[str, object]] | None = None, base: Path | None = None) -> str:
    """A SELECT of the source's rows under the canonical field names (headers matched as an import matches them,
    a field the source lacks as a typed blank), each word of a vocabulary field as its key (``vocabulary_sql``),
    keeping the rows of ``source.filter`` (``only``)."""
    from .. import schema
    from ..validate import match_headers

    table = schema.table(source.table)
    relation = scan_sql(source, base) if source.kind != DUCKDB else attached(con, source)
    described = {r[0]: str(r[1]).upper() for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    found, _, _ = match_headers(table, list(described), mapping)
    words = vocabulary_sql(con, relation, {f.key: (found[f.key], f) for f in table.fields
                                           if f.enum is not None and f.key in found}, values or {})
    cols = []
    for f in table.fields:
        sql_type = SQL_TYPES.get(f.type, "VARCHAR")
        # a text column the writer left untyped (all blank: Parquet's null type, read as a number) is read as text
        untyped = f.key in found and sql_type == "VARCHAR" and described[found[f.key]] not in ("VARCHAR", "STRING")
        cols.append(f"{words[f.key]} AS {f.key}" if f.key in words
                    else f"CAST({_quote(found[f.key])} AS VARCHAR) AS {f.key}" if untyped
                    else f"{_quote(found[f.key])} AS {f.key}" if f.key in found
                    else f"CAST(NULL AS {sql_type}) AS {f.key}")
    # each row's place in the order the source gives: a Parquet row by its file and its row in it (no window over
    # the whole scan), a DuckDB table's rows numbered as they come, a Spark table's by Spark's row id (it decides
    # only which row of a ticket id given twice is its first)
    place = "file_index * 4294967296 + file_row_number" if source.kind == PARQUET else \
        "monotonically_increasing_id()" if source.kind == SPARK else "ROW_NUMBER() OVER () - 1"
    sql = f"SELECT {', '.join(cols)}, {place} AS row__ FROM {relation}"
    if only is not None and only[0] in found:
        sql += f" WHERE {_quote(found[only[0]])} = {_text(only[1])}"
    return sql


def vocabulary_sql(con, relation: str, fields: dict, values: dict[str, dict[str, object]]) -> dict[str, str]:
    """Per vocabulary field the source holds (key → (its column, the field)): its words as the canonical keys, by
    the import's own vocabulary (the labels in both languages, the export words, and 字段值映射's rows first) —
    DuckDB lists each column's distinct words in one pass, Python maps those few, SQL maps the rows.  A word the
    vocabulary does not know stays as it is; a field whose words are all keys already is taken as it is."""
    from ..schema import norm

    if not fields:
        return {}
    lists = con.execute("SELECT " + ", ".join(f"LIST(DISTINCT CAST({_quote(col)} AS VARCHAR))"
                                              for col, _ in fields.values()) + f" FROM {relation}").fetchall()[0]
    out = {}
    for (key, (col, field)), seen in zip(fields.items(), lists):
        lookup = field.enum.lookup() | {k: str(v) for k, v in values.get(key, {}).items()}
        pairs = {w: lookup[norm(w)] for w in seen or () if w is not None and norm(w) in lookup}
        if all(w == k for w, k in pairs.items()):
            continue
        whens = " ".join(f"WHEN {_text(w)} THEN {_text(k)}" for w, k in pairs.items() if w != k)
        out[key] = f"CASE CAST({_quote(col)} AS VARCHAR) {whens} ELSE CAST({_quote(col)} AS VARCHAR) END"
    return out


def attached(con, source: Source) -> str:
    """The source's table in its DuckDB database file, attached read-only."""
    from .. import schema

    alias = f"src_{source.table}"
    if alias not in {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}:
        con.execute(f"ATTACH {_text(str(source.path))} AS {alias} (READ_ONLY)")
    names = {r[0] for r in con.execute(
        f"SELECT table_name FROM duckdb_tables() WHERE database_name = {_text(alias)}").fetchall()}
    names |= {r[0] for r in con.execute(
        f"SELECT view_name FROM duckdb_views() WHERE database_name = {_text(alias)}").fetchall()}
    for name in (source.table, schema.table(source.table).name):
        if name in names:
            return f"{alias}.{_quote(name)}"
    raise QBError("source_no_table", table=source.table, where=source.where,
                  names=f"{source.table} / {schema.table(source.table).name}")


def needs_spark(source: Source):
    """A Spark source without pyspark installed says how to get it."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise QBError("source_needs_spark", where=source.where) from None


def spark_relation(source: Source, base: Path) -> str:
    """A Spark source's rows as a temporary view of the session (a name both dialects read): a Parquet path
    (relative to the book's folder) read by Spark, a table of the session's catalog by its name, or, the master
    alone, the table named like the canonical one."""
    from .. import schema
    from . import duck

    _, target = split_spark(source.where)
    spark = duck.cursor().spark
    view = f"src_{source.table}"
    if target and (any(c in target for c in "/\\") or target.lower().endswith(".parquet")):
        path = Path(target).expanduser()
        path = path if path.is_absolute() else (base / path).resolve()
        if not path.exists():
            raise QBError("source_missing", table=source.table, where=source.where)
        spark.read.parquet(str(path)).createOrReplaceTempView(view)
        return view
    names = [target] if target else [source.table, schema.table(source.table).name]
    for name in names:
        if spark.catalog.tableExists(name):
            spark.table(name).createOrReplaceTempView(view)
            return view
    raise QBError("source_no_spark_table", table=source.table, where=source.where, names=" / ".join(names))


def on_spark(book, sources: dict) -> bool:
    """When a table lies in a Spark session, the whole action runs there (``duck.running_on``): its other tables
    are sent along, so that every figure is one query of one engine."""
    from . import duck

    found = [s for s in sources.values() if s.kind == SPARK]
    if not found:
        return False
    needs_spark(found[0])
    if len({split_spark(s.where)[0] for s in found}) > 1:
        raise QBError("source_two_sparks", where=", ".join(s.where for s in found))
    from . import spark

    duck.running_on(spark.cursor(split_spark(found[0].where)[0], duck.zone(book.settings.get("utc_offset_h", 8))))
    return True


def configured(book, tables) -> dict[str, Source]:
    """The outside sources of ``tables``: ``--source`` first, then 监控标准's ``source.<table>``."""
    overrides = getattr(book, "source_overrides", None) or {}
    texts = book.text_settings if book.has_table(_standards()) else {}
    base = Path(book.path).parent if getattr(book, "path", None) else Path.cwd()
    out = {}
    for t in tables:
        if t not in TABLES:
            continue
        src = locate(t, overrides.get(t, texts.get(setting_key(t))), base)
        if src.outside:
            out[t] = src
    return out


def _standards():
    from .. import schema

    return schema.STANDARDS


def rows(book, source: Source):
    """The source's rows under the canonical columns, where they lie (``engine.rows.Rows``): the department filter
    and every calculation run there, only results come back."""
    from .. import schema
    from . import duck
    from .rows import of_sql

    if source.kind == SPARK and duck.elsewhere() is None:
        on_spark(book, {source.table: source})
    if source.kind == CSV:
        source = imported(book, source)
    con = duck.cursor(book.settings.get("utc_offset_h", 8))
    only = parse_filter(book.text_settings.get("source.filter")) if book.has_table(_standards()) else None
    base = Path(book.path).resolve().parent if getattr(book, "path", None) else Path.cwd()
    try:
        sql = canonical_sql(con, source, book.mapping(schema.table(source.table)), only, book.value_maps(), base)
        out = of_sql(sql, source.where)
        out.count()  # read once here: a column of the wrong type or a damaged file is said with the source named
    except Exception as e:
        if isinstance(e, QBError):
            raise
        raise QBError("source_unreadable", table=source.table, where=f"{source.where} ({e})") from None
    return out


def read(book, source: Source):
    """The source's rows as a typed frame of the canonical columns (the actions that still work row by row)."""
    return rows(book, source).to_frame().drop(columns="row__")


def _fingerprint(files: list[Path]) -> str:
    """The CSV files' names, sizes and CRC-32 of their bytes: what the Parquet copy was imported from."""
    import json
    import zlib

    out = []
    for f in files:
        crc = 0
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
        out.append([f.name, f.stat().st_size, crc])
    return json.dumps(out, ensure_ascii=False)


def imported(book, source: Source) -> Source:
    """A CSV folder as Parquet: each file read and parsed once by the import's own path (DOMAIN.md §3: dates, enums,
    yes/no, durations), kept as ``<folder>/.qualitybook/<table>.parquet`` with the files' fingerprint, and read from
    there while the files stay the same.  A file with cells that cannot be read stops it, each cell named."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .. import schema
    from ..errors import DataProblems
    from ..sources import read_source
    from ..summary import summary_lines
    from ..validate import known_headers, parse_table

    files = sorted(source.path.glob("*.csv"))
    key = _fingerprint(files).encode()
    target = source.path / ".qualitybook" / f"{source.table}.parquet"
    if target.is_file():
        try:
            if (pq.read_schema(target).metadata or {}).get(b"qualitybook-csv") == key:
                return Source(source.table, source.where, PARQUET, target)
        except (OSError, pa.ArrowInvalid):
            pass
    table = schema.table(source.table)
    mapping = book.mapping(table)
    frames = []
    for f in files:
        src = read_source(f, None, known_headers(table, mapping), None)
        parsed = parse_table(table, src.frame, src.rows, where=src.where, mapping=mapping, opts=book.options,
                             header_row=src.header_row, cell_errors=src.cell_errors)
        if parsed.issues:
            raise DataProblems("source_csv_refused", where=source.where, count=len(parsed.issues),
                               details=summary_lines(parsed.issues))
        frames.append(parsed.data)
    data = pd.concat(frames, ignore_index=True)
    arrow = pa.Table.from_pandas(data, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), b"qualitybook-csv": key})
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    pq.write_table(arrow, tmp, coerce_timestamps="us")  # microseconds: Spark reads them too
    tmp.replace(target)
    return Source(source.table, source.where, PARQUET, target)
