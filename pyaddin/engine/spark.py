"""The Spark runner: the same SQL text as DuckDB runs (``engine.metrics``), carried to Spark SQL by sqlglot, over
temporary views, in the workbook's time zone.  Spark is an optional extra (``pip install qualitybook[spark]``, and a
Java 17 runtime); without it, a Spark source says how to install it."""
from __future__ import annotations

from ..errors import QBError

_SESSIONS: dict[str, object] = {}


def spark_sql(sql: str) -> str:
    """DuckDB's dialect → Spark SQL: types and functions by sqlglot (the quantiles are sorted lists, exact on both)."""
    import re

    import sqlglot

    out = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
    # sqlglot writes DuckDB's QUANTILE_DISC(x, p) as PERCENTILE_DISC(x, p), which Spark refuses: its ordered-set form
    return re.sub(r"PERCENTILE_DISC\((-?\w+), ([0-9.]+)\)", r"PERCENTILE_DISC(\2) WITHIN GROUP (ORDER BY \1)", out)


def session(master: str = "local[2]", zone: str = "UTC"):
    """A Spark session at ``master`` (``local[*]``, ``spark://host:7077``; ``sc://host`` is Spark Connect)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise QBError("source_needs_spark", where=master) from None
    key = f"{master}|{zone}"
    if key not in _SESSIONS:
        builder = SparkSession.builder.appName("qualitybook")
        builder = builder.remote(master) if master.startswith("sc://") else builder.master(master)
        spark = (builder.config("spark.sql.session.timeZone", zone)
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.shuffle.partitions", "4").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR") if not master.startswith("sc://") else None
        _SESSIONS[key] = spark
    return _SESSIONS[key]


def query(sql: str, spark, **relations):
    """The result of ``sql`` (written for DuckDB) on Spark, each keyword a pandas frame registered as a view (as
    ``Cursor`` registers the engine's relations)."""
    cur = Cursor(spark)
    for name, frame in relations.items():
        cur.register(name, frame)
    return cur.execute(sql).df()


class Result:
    """What the engine reads of a DuckDB result (``fetchall``, ``df``, ``description``), of a Spark DataFrame."""

    def __init__(self, frame=None, rows=None, names=()):
        self.frame, self._rows, self._names = frame, rows, tuple(names)

    @property
    def description(self):
        names = self.frame.columns if self.frame is not None else self._names
        return [(n,) for n in names]

    def fetchall(self):
        if self.frame is None:
            return list(self._rows or [])
        return [tuple(r) for r in self.frame.collect()]

    def df(self):
        import pandas as pd

        if self.frame is None:
            return pd.DataFrame(self._rows or [], columns=list(self._names))
        return self.frame.toPandas()


class Cursor:
    """A Spark session in the place of the thread's DuckDB cursor (``duck.running_on``): the same statements the
    engine gives DuckDB — relations registered by name, temporary views and tables, SELECTs in DuckDB's dialect
    carried to Spark SQL by sqlglot — so that every figure is the one SQL text, run where the group's data lives.
    Only results come back; the workbook's own tables (and the day table of the SLA clock) are sent to Spark."""

    def __init__(self, spark):
        self.spark = spark
        self._cached: dict[str, object] = {}

    def register(self, name: str, relation) -> None:
        import pandas as pd
        import pyarrow as pa

        if isinstance(relation, pd.DataFrame):
            relation = pa.Table.from_pandas(relation, preserve_index=False)
        frame = self.spark.createDataFrame(_spark_ready(relation))
        frame.createOrReplaceTempView(name)

    def unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)

    def execute(self, sql: str) -> Result:
        import re

        text = sql.strip()
        head = re.match(r"(?is)^(SET\s+TimeZone\s*=\s*'([^']+)'|CREATE\s+TEMP\s+VIEW\s+(\w+)\s+AS\s|CREATE\s+(?:TEMP\s+)?TABLE\s+"
                        r"(\w+)\s+AS\s|DROP\s+(?:TABLE|VIEW)\s+IF\s+EXISTS\s+(\w+)|DESCRIBE\s)", text)
        if head is None:
            return Result(self.spark.sql(spark_sql(text)))
        zone, view, table, dropped = head.group(2), head.group(3), head.group(4), head.group(5)
        if zone:
            self.spark.conf.set("spark.sql.session.timeZone", zone)
        elif view or table:
            frame = self.spark.sql(spark_sql(text[head.end():]))
            if table:  # computed once and kept, as DuckDB keeps its table: the flags every figure reads
                frame = frame.cache()
                frame.count()
                self._cached[table] = frame
            frame.createOrReplaceTempView(view or table)
        elif dropped:
            self.spark.catalog.dropTempView(dropped)
            cached = self._cached.pop(dropped, None)
            if cached is not None:
                cached.unpersist()
        else:  # DESCRIBE SELECT …: the columns and their types
            fields = self.spark.sql(spark_sql(text[head.end():])).schema.fields
            return Result(rows=[(f.name, f.dataType.simpleString()) for f in fields], names=("column_name", "column_type"))
        return Result(rows=[], names=())


def _spark_ready(table):
    """An Arrow table as Spark takes it: a column of nulls alone (no type to infer) as text, large text as text."""
    import pyarrow as pa

    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_null(t) or pa.types.is_large_string(t):
            t = pa.string()
        elif pa.types.is_timestamp(t) and (t.unit != "us" or t.tz is not None):
            t = pa.timestamp("us")
        fields.append(pa.field(f.name, t))
    return table.cast(pa.schema(fields))


def cursor(master: str, zone: str) -> Cursor:
    """The Spark session at ``master`` as the engine's cursor."""
    return Cursor(session(master, zone))


def split(where: str) -> tuple[str, str]:
    """``MASTER#TABLE`` → (master, table or path); ``local[*]`` alone → (``local[*]``, "")."""
    master, _, target = where.partition("#")
    master = master.strip()
    return ("local[*]" if master == "local" else master), target.strip()
