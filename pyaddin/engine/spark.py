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
    """The result of ``sql`` (written for DuckDB) on Spark, each keyword a pandas frame registered as a view."""
    from . import duck

    for name, frame in relations.items():
        spark.createDataFrame(duck.arrow(frame).to_pandas()).createOrReplaceTempView(name)
    return spark.sql(spark_sql(sql)).toPandas()
