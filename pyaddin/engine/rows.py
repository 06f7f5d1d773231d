"""A table's rows where they lie, for the engine: the workbook's frame registered once as an Arrow relation, or an
outside source (Parquet, a DuckDB file) read by DuckDB where it is.  Every calculation is SQL over a ``Rows``;
only results come back.  The pandas frame is there when the rows are the workbook's (the actions that still work
row by row use it); for an outside source it is made only when asked for, as the fallback of those actions.

Registered frames and temporary tables live on the thread's cursor (``duck.cursor``) and are dropped once the
``Rows`` (or the view that made the table) is collected, at the cursor's next use (``duck.later``)."""
from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field

from . import duck

_NAMES = itertools.count(1)
SQL_TYPES = {"datetime": "TIMESTAMP", "date": "TIMESTAMP", "integer": "BIGINT", "number": "DOUBLE",
             "percent": "DOUBLE", "seconds": "DOUBLE", "bool": "BOOLEAN"}  # a field's SQL type; anything else: text


def fresh(prefix: str) -> str:
    return f"{prefix}_{next(_NAMES)}"


@dataclass(eq=False)
class Rows:
    """``sql``: a relation (a registered name or a parenthesised SELECT) with the table's canonical columns and
    ``row__``, the row's place (the order the pandas frame has, or the order the source gives)."""

    sql: str
    columns: tuple[str, ...]
    frame: object = None  # pandas.DataFrame: the workbook's rows, or None for an outside source
    where: str = ""  # what the rows are, for messages (a source's path)
    _kept: list = field(default_factory=list, repr=False)  # what must live as long as the relation does
    bounded: bool = False  # at most a sheet's rows (the workbook's own table): what is computed of them fits in memory
    facts: dict = field(default_factory=dict, repr=False)  # what was computed of the whole relation once, by name

    def has(self, column: str) -> bool:
        return column in self.columns

    def select(self, condition: str) -> Rows:
        """The rows meeting ``condition`` (SQL), as a relation over the same rows; the frame follows lazily."""
        return Rows(f"(SELECT * FROM {self.sql} WHERE {condition})", self.columns, None, self.where, [self],
                    self.bounded)

    def count(self) -> int:
        return int(duck.scalar(f"SELECT COUNT(*) FROM {self.sql}"))

    def to_frame(self, columns=None, order: bool = True):
        """The rows as a pandas frame (all or some columns), in their order: the fallback of actions that still
        work row by row."""
        cols = [c for c in (columns or self.columns) if c in self.columns]
        sql = f"SELECT {', '.join(cols) or '*'} FROM {self.sql}" + (" ORDER BY row__" if order else "")
        return duck.query(sql)


def of_frame(frame, columns: dict) -> Rows:
    """A pandas frame as a relation (``columns``: name → the SQL dtype conversion ``kpi._column`` applies), with
    ``row__`` its position; registered on the thread's cursor until the ``Rows`` is collected."""
    import numpy as np
    import pandas as pd

    data = pd.DataFrame({name: convert(frame, name) for name, convert in columns.items()}, index=frame.index)
    data["row__"] = np.arange(len(frame), dtype="int64")
    name = fresh("frame")
    con = duck.cursor()
    con.register(name, duck.arrow(data))
    rows = Rows(name, tuple(data.columns), frame, bounded=True)
    weakref.finalize(rows, duck.later, con, unregister=name)
    return rows


def of_arrow(arrow, table, row_column: str, where: str = "") -> Rows:
    """A workbook table's columnar copy (Arrow, as read from its Parquet) as rows: registered as it is, each field
    the copy lacks as a typed blank, ``row__`` its sheet row number (the rows' order)."""
    con = duck.cursor()
    name = fresh("copy")
    con.register(name, arrow)
    sql = f"({_fields(table, set(arrow.column_names), row_column, name)})"
    rows = Rows(sql, (*[f.key for f in table.fields], "row__"), None, where, [arrow], bounded=True)
    weakref.finalize(rows, duck.later, con, unregister=name)
    return rows


def of_parquet(path, table, row_column: str, where: str = "", release=None) -> Rows:
    """A workbook table's columnar copy read by DuckDB where it lies (``read_parquet``: only the columns and row
    groups each query needs), each field the copy lacks as a typed blank, ``row__`` its sheet row number;
    ``release`` called once the rows are collected (the view dropped first)."""
    con = duck.cursor()
    name = fresh("copy")
    relation = f"read_parquet({_quoted(_literal_path(path))}, hive_partitioning = false)"
    have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    con.execute(f"CREATE TEMP VIEW {name} AS {_fields(table, have, row_column, relation)}")
    rows = Rows(name, (*[f.key for f in table.fields], "row__"), None, where, bounded=True)
    weakref.finalize(rows, duck.later, con, f"VIEW IF EXISTS {name}", then=release)
    return rows


def _literal_path(path) -> str:
    """The path as DuckDB reads it as one file: its glob characters bracketed (a book in ``Q[12]`` beside ``Q1``
    and ``Q2`` would read their copies too); with ``hive_partitioning`` off, a folder named ``channel=web`` is
    not taken for a column."""
    return "".join(f"[{c}]" if c in "[*?" else c for c in str(path))


def _quoted(path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fields(table, have: set, row_column: str, relation: str) -> str:
    """The table's canonical columns from ``relation`` (a field it lacks as a typed blank) and ``row__``."""
    blanks = [f"CAST(NULL AS {SQL_TYPES.get(f.type, 'VARCHAR')}) AS {f.key}" for f in table.fields if f.key not in have]
    fields = [f.key for f in table.fields if f.key in have]
    return f"SELECT {', '.join([*fields, *blanks, f'{row_column} AS row__'])} FROM {relation}"


def of_sql(sql: str, where: str = "") -> Rows:
    """An outside source's SELECT (``source.canonical_sql``, its ``row__`` the place each row has in the source)
    as rows."""
    con = duck.cursor()
    name = fresh("source")
    con.execute(f"CREATE TEMP VIEW {name} AS {sql}")
    cols = tuple(r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {name}").fetchall())
    rows = Rows(name, cols, None, where)
    weakref.finalize(rows, duck.later, con, f"VIEW IF EXISTS {name}")
    return rows


def temp_table(sql: str, owner, prefix: str = "t", in_memory: bool = False, **relations) -> str:
    """``sql`` computed once into a table (``relations``: Arrow tables it reads, by name, for the length of the
    statement), dropped when ``owner`` is collected.  ``in_memory`` for what is made of a workbook's table (a
    sheet's rows at most: twice as fast to make as a stored table, and a few hundred megabytes at a million);
    otherwise the table is stored in the engine's database file, compressed, so that a source of tens of millions
    of rows stays within a desktop's memory."""
    con = duck.cursor()
    name = fresh(prefix)
    for key, rel in relations.items():
        con.register(key, rel)
    try:
        con.execute(f"CREATE {'TEMP ' if in_memory else ''}TABLE {name} AS {sql}")
    finally:
        for key in relations:
            con.unregister(key)
    weakref.finalize(owner, duck.later, con, f"TABLE IF EXISTS {name}")
    return name
