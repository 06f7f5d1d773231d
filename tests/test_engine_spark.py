"""One definition, two engines: every SQL text of pyaddin/engine/metrics.py gives the same figures on DuckDB and on
Spark (local mode), carried over by sqlglot.  Counts, rates and quantiles (exact, PERCENTILE.INC from sorted values on both) are
identical; a mean may differ in its last floating-point digits.  Run by `make test-spark` (CI installs Java and
the `spark` extra): without pyspark these tests fail, they are never skipped."""
from __future__ import annotations

import pandas as pd
import pytest
from test_kpi_core import STD, typed

import sample_data
from pyaddin import schema
from pyaddin.core import kpi
from pyaddin.core.pareto import UNCLASSIFIED
from pyaddin.engine import duck, metrics, spark
from test_kpi import INSPECTIONS_ZH, SURVEYS_ZH, TICKETS_ZH

pytestmark = pytest.mark.spark
AS_OF = pd.Timestamp("2026-10-01")


@pytest.fixture(scope="module")
def session():
    return spark.session("local[2]", duck.zone(8))


@pytest.fixture(scope="module", params=["hand", "generated"])
def data(request):
    """The hand-computed case of test_kpi_core, and 3 000 generated tickets with their surveys and inspections."""
    if request.param == "hand":
        return (typed(schema.TICKETS, TICKETS_ZH), typed(schema.SURVEYS, SURVEYS_ZH),
                typed(schema.INSPECTIONS, INSPECTIONS_ZH))
    g = sample_data.generate(3000)
    return g["tickets"], g["surveys"], g["inspections"]


def same(sql, session, mean=(), **relations):
    """The query on both engines, rows in the key's order: equal, a mean to the last digits."""
    a = duck.query(sql, **relations).reset_index(drop=True)
    b = spark.query(sql, session, **relations)
    b = b.sort_values(list(b.columns[:1])).reset_index(drop=True) if "key" in b or "category" in b \
        or "inspection_id" in b else b
    a = a.sort_values(list(a.columns[:1])).reset_index(drop=True) if "key" in a or "category" in a \
        or "inspection_id" in a else a
    assert list(a.columns) == list(b.columns) and len(a) == len(b) > 0
    for c in a.columns:
        x, y = a[c], b[c]
        if c in mean:
            pd.testing.assert_series_equal(x.astype(float), y.astype(float), check_exact=False, rtol=1e-12,
                                           check_names=False)
        elif pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x):
            assert x.astype(float).fillna(-1e300).tolist() == y.astype(float).fillna(-1e300).tolist(), c
        else:
            assert x.astype(object).where(x.notna(), None).tolist() == y.astype(object).where(y.notna(), None).tolist(), c
    return a


def test_ticket_flags_and_group_metrics_are_identical(session, data):
    t = data[0]
    decides = kpi.status_decides(t, AS_OF)
    timed = kpi.timed_tickets(t, STD, AS_OF)
    flags = same(metrics.ticket_flags_sql("rows", decides), session, rows=timed)
    assert flags["fr_met"].sum() > 0 and flags["fr_min"].notna().any()
    for dim in ("department", "channel", "agent"):
        rel = flags[[*metrics.FLAG_SUMS, "fr_min", "res_h"]].assign(key=kpi.group_keys(t, dim).to_numpy())
        g = same(metrics.ticket_groups_sql("rows", "key"), session, rows=rel)
        assert g["tickets"].sum() == len(t[kpi.group_keys(t, dim).notna()])
        assert g["median_first_response_min"].notna().any()  # the quantiles were compared, not blanks


def test_backlog_surveys_inspections_and_pareto_are_identical(session, data):
    t, s, i = data
    rel = pd.DataFrame({"created_at": t["created_at"], "resolved_at": t["resolved_at"],
                        "status": kpi._column(t, "status", "string"), "key": t["department"]})
    assert same(metrics.backlog_sql("rows", "key", AS_OF - pd.Timedelta(days=20), kpi.status_decides(t, AS_OF)),
                session, rows=rel)["backlog"].sum() > 0
    sv = pd.DataFrame({"csat": s["csat"].astype(float), "nps": s["nps"].astype(float), "key": s["department"]})
    assert same(metrics.survey_groups_sql("rows", "key"), session, rows=sv)["csat_pct"].notna().any()
    scores = kpi.inspection_scores(i)
    same(metrics.inspection_scores_sql("rows"), session, mean=(), rows=pd.DataFrame({
        "inspection_id": i["inspection_id"], "score": i["score"].astype(float), "max_score": i["max_score"].astype(float),
        "critical": i["critical"].astype("boolean"), "department": i["department"].astype("string"),
        "agent": i["agent"].astype("string")}))
    same(metrics.inspection_groups_sql("rows", "key", 80.0), session, mean=("qa_score_pct",),
         rows=scores[["pct"]].assign(key=scores["department"]))
    counts = same(metrics.pareto_counts_sql("rows", UNCLASSIFIED), session,
                  rows=pd.DataFrame({"value": t["category"].astype("string"), "weight": 1.0}))
    assert counts["count"].sum() == len(t)


def test_the_sql_reaches_spark_as_spark_sql():
    """The quantiles reach Spark as each group's sorted values or, for medians alone, as discrete medians in Spark's
    ordered-set form (never percentile_approx, which sqlglot writes for percentile_cont), list positions shifted to
    Spark's 0-based ones, the text types as Spark's."""
    sql = spark.spark_sql(metrics.ticket_groups_sql("rows", "key"))
    assert "ARRAY_SORT(COLLECT_LIST(FR_MIN))" in sql.upper() and "PERCENTILE_APPROX" not in sql.upper()
    # the medians alone (resolution time) as the two discrete medians, in Spark's ordered-set form
    assert "PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY res_h)" in sql and "PERCENTILE_DISC(res_h" not in sql
    assert "AS BIGINT) + 0]" in sql and "SIZE(v)" in sql
    assert "VARCHAR" not in spark.spark_sql(metrics.ticket_flags_sql("rows", True)).upper()


@pytest.mark.parametrize("clock", ["calendar", "working"])
def test_the_sla_clock_is_identical(session, data, clock):
    """The SLA clock (engine/timing.py) on both engines: durations, ages and targets to the last digit, on the
    calendar clock and on the working clock with a channel of its own hours and the holiday calendar's days."""
    from pyaddin.core import clock as clocks
    from pyaddin.engine import timing

    t = data[0]
    std = kpi.Standards.from_table(pd.DataFrame(
        [{"kind": "setting", "key": "sla_clock", "value": None, "text": clock},
         {"kind": "setting", "key": "service_hours_phone", "value": None, "text": "08:00-22:00 周一至周日"}],
        columns=["kind", "key", "value", "text", "direction", "warning_band"]))
    std.calendar = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-10"]),
                                 "kind": ["holiday", "holiday", "workday"]})
    plan, days = clocks.timing(std, AS_OF, True, False, t["created_at"].min(), AS_OF)
    assert plan.working == (clock == "working")
    rows = pd.DataFrame({c: kpi._column(t, c, d) for c, d in kpi.TICKET_COLUMNS.items()}).assign(row__=range(len(t)))
    sql = timing.sla_sql("rows", "days__", plan, ("row__",))
    got = same(f"SELECT * FROM ({sql}) x ORDER BY row__", session, rows=rows, days__=days.to_pandas())
    assert got["fr_min"].notna().any() and got["res_target"].notna().all() == (t["priority"].notna().all())


# --- a Spark session as the source: every analysis of an action runs there ------------------------------------------

LAKE_TABLES = ("tickets", "surveys", "inspections")


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    """The sample book, its three tables as Parquet as a data team's job writes them (microsecond times, two files
    a table), and an empty book beside them."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    from conftest import ROOT, sample_book
    from pyaddin.book import FileBook

    root = tmp_path_factory.mktemp("spark_lake")
    src = sample_book(root / "source.xlsm")
    with FileBook(src) as b:
        for key in LAKE_TABLES:
            data = b.read(schema.table(key)).data
            (root / "lake" / key).mkdir(parents=True)
            half = len(data) // 2
            for n, part in enumerate((data.iloc[:half], data.iloc[half:])):
                pq.write_table(pa.Table.from_pandas(part, preserve_index=False),
                               root / "lake" / key / f"part{n}.parquet", coerce_timestamps="us")
    shutil.copy(ROOT / "qualitybook.xlsm", root / "empty.xlsm")
    return root, src


def _cli(*args):
    import json

    from click.testing import CliRunner

    from pyaddin.cli.main import cli

    r = CliRunner().invoke(cli, [str(a) for a in args])
    return r, (json.loads(r.stdout) if r.exit_code == 0 and "--json" in args else None)  # not the warnings


@pytest.mark.parametrize("command", [["kpi", "--quarter", "2026Q3"], ["pareto", "--quarter", "2026Q3"], ["alerts"],
                                     ["appraise", "--quarter", "2026Q3"], ["sample", "--period", "2026-09"]])
def test_every_analysis_over_spark_tables_is_the_books_own(session, lake, command, monkeypatch):
    """``--source TABLE=local[2]#PATH``: the tables read by Spark where they lie, every query of the action run in
    the Spark session (the same SQL text, carried by sqlglot) — the JSON equal to the workbook's own, the source and
    its row count said, no table read into Python (only the few visit and invitation rows the report's cards cite)."""
    from pyaddin.engine import spark as spark_engine
    from pyaddin.engine.rows import Rows

    root, src = lake
    _, own = _cli(command[0], src, *command[1:], "--json")
    ran = []
    real_execute, real_frame = spark_engine.Cursor.execute, Rows.to_frame
    monkeypatch.setattr(spark_engine.Cursor, "execute", lambda self, sql: ran.append(sql) or real_execute(self, sql))
    asked = []
    monkeypatch.setattr(Rows, "to_frame", lambda self, columns=None, order=True: asked.append(columns) or
                        real_frame(self, columns, order))
    sources = [x for t in LAKE_TABLES for x in ("--source", f"{t}=local[2]#{root / 'lake' / t}")]
    r, got = _cli(command[0], root / "empty.xlsm", *command[1:], "--json", *sources)
    assert r.exit_code == 0, r.output
    said = got.pop("sources", None)
    assert got == own
    assert len(ran) > 5  # the figures were Spark's
    if said is not None:
        assert said["tickets"]["rows"] == 4000 and said["tickets"]["source"].startswith("local[2]#")
    assert all(c is not None and ("appointment_at" in c or "sent_at" in c) for c in asked), asked


def test_the_report_over_spark_tables_is_the_books_own(session, lake, tmp_path):
    root, src = lake
    own, got = tmp_path / "own.html", tmp_path / "spark.html"
    assert _cli("report", src, "--period", "2026-09", "-o", own)[0].exit_code == 0
    sources = [x for t in LAKE_TABLES for x in ("--source", f"{t}=local[2]#{root / 'lake' / t}")]
    r, _ = _cli("report", root / "empty.xlsm", "--period", "2026-09", "-o", got, *sources)
    assert r.exit_code == 0, r.output
    line = "<p class='small'>外部数据:工单数据4,000行, 满意度调查1,077行, 质检记录2,120行</p>"  # said, with the rows
    assert line in got.read_text(encoding="utf-8")
    assert got.read_text(encoding="utf-8").replace(line, "") == own.read_text(encoding="utf-8")


def test_a_spark_catalog_table_beside_the_books_own_tables(session, lake, tmp_path):
    """``source.tickets=local[2]`` on 监控标准 (set by ``config``): the session's table named like the canonical one
    (``tickets``), the surveys and inspections the book's own, sent to Spark for the one engine's queries."""
    import shutil

    root, src = lake
    book = tmp_path / "dept.xlsm"
    shutil.copy(src, book)
    _, own = _cli("kpi", src, "--quarter", "2026Q3", "--json")
    session.read.parquet(str(root / "lake" / "tickets")).createOrReplaceTempView("tickets")
    try:
        assert _cli("config", book, "source.tickets=local[2]")[0].exit_code == 0
        r, got = _cli("kpi", book, "--quarter", "2026Q3", "--json")
        assert r.exit_code == 0, r.output
        assert got.pop("sources")["tickets"]["source"] == "local[2]" and got == own
        dept = next(iter(own["by_department"]))  # a department's workbook: the filter applied in Spark
        assert _cli("config", book, f"source.filter=department:{dept}")[0].exit_code == 0
        r, mine = _cli("kpi", book, "--quarter", "2026Q3", "--json")
        assert r.exit_code == 0, r.output
        assert mine["overall"]["tickets"] == own["by_department"][dept]["tickets"]  # the book's own surveys stay whole
        assert mine["overall"]["first_response_sla_pct"] == own["by_department"][dept]["first_response_sla_pct"]
        assert {d for d, m in mine["by_department"].items() if m["tickets"]} == {dept}
    finally:
        session.catalog.dropTempView("tickets")
    r, _ = _cli("kpi", book, "--quarter", "2026Q3")  # the table gone: said, with how to name it
    assert r.exit_code != 0 and "local[2]" in r.output and "tbl_tickets" in r.output


def test_two_spark_sessions_for_one_calculation_are_refused(session, lake):
    root, src = lake
    r, _ = _cli("kpi", root / "empty.xlsm", "--source", f"tickets=local[2]#{root / 'lake' / 'tickets'}",
                "--source", f"surveys=spark://elsewhere:7077#{root / 'lake' / 'surveys'}")
    assert r.exit_code != 0 and "spark://elsewhere:7077" in r.output and "Spark" in r.output
