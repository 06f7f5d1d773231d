"""The DuckDB runner: one embedded database per process, the workbook's frames registered as Arrow relations for
the length of a query, only the result coming back.

A query sees the relations it is given by name (``query(sql, tickets=frame)``); a pandas frame goes in as an Arrow
table (no copy of Arrow-backed columns, no Python object per value) and is unregistered afterwards.  The session
runs in the workbook's time zone, so that no timestamp is shifted on its way in or out."""
from __future__ import annotations

import atexit
import collections
import os
import threading

from ..process import left_by_dead_runs

_LOCK = threading.Lock()
_DB = None
_THREAD = threading.local()  # each thread's cursor for ``query``: made and set to the zone once, not per query
_LATER: dict[int, collections.deque] = {}  # id(cursor) → what collected relations left to undo on it (``later``)


PREFIX = "qualitybook-duckdb-"


def _config() -> dict:
    """Two threads (the machines we serve), and a memory limit under which DuckDB spills its work to a temporary
    folder instead of growing: a group's history of tens of millions of tickets fits in a desktop's memory."""
    return {"threads": 2, "memory_limit": os.environ.get("QUALITYBOOK_DUCKDB_MEMORY", "1GB")}


def _database():
    global _DB
    with _LOCK:
        if _DB is None:
            import tempfile

            import duckdb

            _sweep(tempfile.gettempdir())
            # a folder of this process's own (a killed run leaves its folder; a later process given the same
            # number must not open that database and replay its log), the database file in it, not ":memory:":
            # the period's tables of an outside source are stored compressed (dictionary, bit-packing), a tenth of
            # their size in memory at ten million tickets
            folder = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
            _DB = duckdb.connect(os.path.join(folder, "engine.duckdb"), config={**_config(), "temp_directory": folder})
            atexit.register(_remove, folder)
        return _DB


def _sweep(where: str) -> None:
    """Remove the engine folders of runs that were killed (their process is gone): each holds a database and
    perhaps spilled work, up to gigabytes.  Only where a process can be asked after (POSIX); Windows' temporary
    files are cleared by the system."""
    import shutil

    for name in left_by_dead_runs(where, PREFIX):
        shutil.rmtree(os.path.join(where, name), ignore_errors=True)


def _remove(folder: str) -> None:
    import shutil

    for waiting in list(_LATER.values()):  # a pinned copy's name is removed at exit; the database goes with it
        while waiting:
            then = waiting.popleft()[2]
            if then is not None:
                then()
    try:
        _DB.close()
    except Exception:  # noqa: BLE001 - closing at exit: nothing left to do with it
        pass
    shutil.rmtree(folder, ignore_errors=True)


def zone(utc_offset_h: float | None) -> str:
    """The workbook's time zone as DuckDB names it: a whole-hour offset from UTC (``Etc/GMT-8`` is UTC+8)."""
    if utc_offset_h is None or float(utc_offset_h) == 0 or float(utc_offset_h) != int(utc_offset_h):
        return "UTC"
    h = int(utc_offset_h)
    return f"Etc/GMT{'-' if h > 0 else '+'}{abs(h)}"


def connection(utc_offset_h: float | None = 8):
    """A cursor of the process's database, in the workbook's time zone (each thread its own cursor)."""
    con = _database().cursor()
    con.execute(f"SET TimeZone = '{zone(utc_offset_h)}'")
    return con


def arrow(frame):
    """A pandas frame as an Arrow table (the index dropped: results are put back on it by the caller)."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def later(con, drop: str | None = None, unregister: str | None = None, then=None) -> None:
    """What a collected relation leaves to undo on ``con`` (``DROP drop``, ``unregister``, then ``then()``), done at
    the cursor's next use (``tidy``), not now: the collector runs a finalizer wherever it happens to run — in the
    middle of a result being fetched on that very cursor (a statement run there then takes the result's place:
    DuckDB's "Calling GetTypes without a result object"), or on another thread."""
    _LATER.setdefault(id(con), collections.deque()).append((drop, unregister, then))


def tidy(con=None) -> None:
    """Undo on ``con`` (the thread's cursor when not given) what collected relations left (``later``): before any
    statement of ours runs on it, and at the end of every action."""
    if con is None:
        con = getattr(_THREAD, "cursor", None)
    waiting = _LATER.get(id(con)) if con is not None else None
    while waiting:
        drop, unregister, then = waiting.popleft()
        try:
            if drop is not None:
                con.execute(f"DROP {drop}")
            if unregister is not None:
                con.unregister(unregister)
        except Exception:  # noqa: BLE001 - the cursor closed with the process: nothing to free
            pass
        if then is not None:
            then()


def running_on(other) -> None:
    """From now on, until ``back_home``, the thread's cursor is ``other`` (``engine.spark.Cursor``: a Spark session
    that takes the same SQL): an action whose source is a Spark table runs every query there, the workbook's own
    tables sent along."""
    _THREAD.elsewhere = other


def back_home() -> None:
    """The thread's queries run on the embedded DuckDB again (at the end of every action), what the action's
    relations left on the other engine undone first."""
    other = elsewhere()
    if other is not None:
        tidy(other)
    _THREAD.elsewhere = None


def elsewhere():
    """The other engine the thread runs on, or None."""
    return getattr(_THREAD, "elsewhere", None)


def cursor(utc_offset_h: float | None = None):
    """The thread's cursor (made once, in the workbook's time zone; set again when a book's zone differs): the
    registered frames and temporary tables of the engine's ``Rows`` and views live on it."""
    other = elsewhere()
    if other is not None:
        tidy(other)
        return other
    con = getattr(_THREAD, "cursor", None)
    if con is None:
        con = connection(8 if utc_offset_h is None else utc_offset_h)
        _THREAD.cursor, _THREAD.zone = con, zone(8 if utc_offset_h is None else utc_offset_h)
    else:
        tidy(con)
        if utc_offset_h is not None and zone(utc_offset_h) != _THREAD.zone:
            con.execute(f"SET TimeZone = '{zone(utc_offset_h)}'")
            _THREAD.zone = zone(utc_offset_h)
    return con


def query(sql: str, con=None, **relations):
    """The result of ``sql`` as a pandas frame, with each keyword a relation it reads (a pandas frame or an Arrow
    table); on ``con`` when given, else on the thread's cursor."""
    import pandas as pd

    if con is None:
        con = cursor()  # tidied as it is handed out
    else:
        tidy(con)
    for name, rel in relations.items():
        con.register(name, arrow(rel) if isinstance(rel, pd.DataFrame) else rel)
    try:
        return con.execute(sql).df()
    finally:
        for name in relations:
            con.unregister(name)


def scalar(sql: str):
    """The one value ``sql`` selects."""
    return cursor().execute(sql).fetchall()[0][0]


def row(sql: str) -> dict:
    """The one row ``sql`` selects, by column name."""
    cur = cursor().execute(sql)
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchall()[0]))
