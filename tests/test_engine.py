"""The analyses over tables outside the workbook (pyaddin/engine): a Parquet file, folder or glob, a DuckDB file or a
CSV folder, set on 监控标准 or with --source, give the same figures as the workbook's own tables."""
from __future__ import annotations

import json
import shutil

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import ROOT, sample_book
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.cli.main import cli
from pyaddin.engine import metrics

TABLES = ("tickets", "surveys", "inspections")


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    """The sample book, its three tables as Parquet in a shared folder, and an empty book beside them."""
    root = tmp_path_factory.mktemp("group")
    src = sample_book(root / "source.xlsm")
    lake = root / "lake"
    with FileBook(src) as b:
        for key in TABLES:
            data = b.read(schema.table(key)).data
            (lake / key).mkdir(parents=True)
            half = len(data) // 2  # two files per table: a folder is read whole
            for n, part in enumerate((data.iloc[:half], data.iloc[half:])):
                pq.write_table(pa.Table.from_pandas(part, preserve_index=False), lake / key / f"part{n}.parquet")
    return root, src, lake


def run(*args) -> dict:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def empty_book(root, name) -> str:
    p = root / name
    shutil.copy(ROOT / "qualitybook.xlsm", p)
    return p


def test_kpi_and_pareto_over_parquet_equal_the_workbooks_own(group):
    root, src, lake = group
    own = run("kpi", src, "--quarter", "2026Q3", "--json")
    sources = [x for t in TABLES for x in ("--source", f"{t}={lake / t}")]
    outside = run("kpi", src, "--quarter", "2026Q3", "--json", *sources)
    said = outside.pop("sources")
    assert said["tickets"]["rows"] == 4000 and said["tickets"]["source"] == str(lake / "tickets")
    assert "sources" not in own and outside == own
    import openpyxl

    sheet = openpyxl.load_workbook(src, read_only=True)["KPI总览"]
    assert sheet["A3"].value == "外部数据:工单数据4,000行, 满意度调查1,077行, 质检记录2,120行"  # the dashboard says so
    run("kpi", src, "--quarter", "2026Q3", "--json")
    assert not openpyxl.load_workbook(src, read_only=True)["KPI总览"]["A3"].value  # and no more once it is not
    assert run("pareto", src, "--quarter", "2026Q3", "--json", *sources) == run("pareto", src, "--quarter", "2026Q3",
                                                                               "--json")


def test_a_book_pointed_at_the_source_by_config_shows_the_groups_figures_and_its_departments(group):
    root, src, lake = group
    own = run("kpi", src, "--quarter", "2026Q3", "--json")
    book = empty_book(root, "group.xlsm")
    run("config", book, "--json", "source.tickets=lake/tickets", "source.surveys=lake/surveys/*.parquet",
        "source.inspections=lake/inspections")  # relative to the book's folder; a glob too
    got = run("kpi", book, "--quarter", "2026Q3", "--json")
    assert got.pop("sources")["surveys"]["rows"] == 1077
    assert got == own
    dept = next(iter(own["by_department"]))
    mine = empty_book(root, "dept.xlsm")
    run("config", mine, "--json", "source.tickets=lake/tickets", "source.surveys=lake/surveys",
        "source.inspections=lake/inspections", f"source.filter=部门:{dept}")  # the field named in Chinese too
    d = run("kpi", mine, "--quarter", "2026Q3", "--json")
    assert list(d["by_department"]) == [dept] and d["overall"] == own["by_department"][dept]


def test_a_duckdb_file_with_mapped_headers_and_a_csv_folder(group, tmp_path):
    root, src, lake = group
    own = run("kpi", src, "--quarter", "2026Q3", "--json")
    db = tmp_path / "history.duckdb"
    with duckdb.connect(str(db)) as con:  # the tickets under export headers (recognised aliases), as a data team names them
        con.execute(f"CREATE TABLE tickets AS SELECT * RENAME (ticket_id AS 工单号, department AS 处理部门) "
                    f"FROM read_parquet('{lake / 'tickets'}/*.parquet')")
    csv = tmp_path / "csv"
    csv.mkdir()
    shutil.copy(ROOT / "samples" / "surveys.csv", csv / "2026.csv")
    got = run("kpi", src, "--quarter", "2026Q3", "--json", "--source", f"tickets={db}", "--source", f"surveys={csv}")
    assert got.pop("sources")["surveys"]["rows"] == 1077
    assert got == own
    assert (csv / ".qualitybook" / "surveys.parquet").is_file()  # imported once, read from Parquet next time


def test_a_source_that_is_not_there_or_needs_spark_says_what_to_do(group, monkeypatch):
    root, src, lake = group
    r = CliRunner().invoke(cli, ["kpi", str(src), "--source", "tickets=nowhere/x.parquet"])
    assert r.exit_code == 2 and "nowhere/x.parquet" in r.output
    monkeypatch.setitem(__import__("sys").modules, "pyspark", None)  # as on a machine without the extra
    r = CliRunner().invoke(cli, ["kpi", str(src), "--source", "tickets=local[*]"])
    assert r.exit_code == 2 and "pip install qualitybook[spark]" in r.output
    r = CliRunner().invoke(cli, ["config", str(src), "source.filter=售后服务部"])
    assert r.exit_code == 0  # stored as text; read when a source is used
    r = CliRunner().invoke(cli, ["kpi", str(src), "--source", f"tickets={lake / 'tickets'}"])
    assert r.exit_code == 2 and "部门:售后服务部" in r.output


def test_the_sql_runs_as_written_and_treats_a_blank_as_false():
    """A blank time compares as false, not as a blank flag: a ticket without a first response is neither met nor
    breached before its target passes."""
    from pyaddin.engine import duck

    rows = pd.DataFrame({"status": pd.Series([None, "cancelled"], dtype="string"),
                         "resolved_at": pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]"),
                         "is_complaint": pd.Series([None, True], dtype="boolean"),
                         "complaint_level": pd.Series([None, None], dtype="string"),
                         "contacts": [1.0, 1.0], "reopened": pd.Series([None, None], dtype="boolean"),
                         "resolution_note": pd.Series([None, None], dtype="string"),
                         "agent": ["a", "a"], "category": ["c", "c"], "fr_min": [None, 5.0], "res_h": [None, None],
                         "age_min": [10.0, 100.0], "fr_target": [30.0, 30.0], "res_target": [24.0, 24.0],
                         "cfr_target": [30.0, 30.0]})
    f = duck.query(metrics.ticket_flags_sql("rows", True), rows=rows)
    assert f["fr_met"].tolist() == [False, False] and f["fr_breached"].tolist() == [False, False]
    assert f["counted"].tolist() == [True, False] and f["complaint"].tolist() == [False, False]
    assert f["fr_min"].isna().tolist() == [True, True]  # a cancelled ticket's times count nowhere


def _registered_frame():
    from pyaddin.engine import rows as engine_rows

    rows = engine_rows.of_frame(pd.DataFrame({"a": [1]}), {"a": lambda f, c: f[c]})
    return rows, rows.sql, "SELECT view_name AS name FROM duckdb_views() WHERE temporary"


def _view():
    from pyaddin.engine import rows as engine_rows

    rows = engine_rows.of_sql("SELECT 1 AS a, 0 AS row__")
    return rows, rows.sql, "SELECT view_name AS name FROM duckdb_views() WHERE temporary"


def _table():
    from pyaddin.engine import rows as engine_rows

    class Owner:
        pass

    owner = Owner()
    return owner, engine_rows.temp_table("SELECT 1 AS a", owner), "SELECT table_name AS name FROM duckdb_tables()"


@pytest.mark.parametrize("make", [_registered_frame, _view, _table], ids=["frame", "view", "table"])
def test_a_relation_collected_while_a_result_is_fetched_leaves_that_result_whole(make):
    """The collector runs a finalizer wherever it happens to run, between two chunks of a result being fetched on
    the same cursor too: what it undoes (unregister, drop) waits for the cursor's next use, else DuckDB loses the
    result (CI: "Calling GetTypes without a result object") or hands back the other statement's."""
    import gc

    from pyaddin.engine import duck

    con = duck.cursor()
    holder, name, catalog = make()
    pending = con.execute("SELECT range AS n, TIMESTAMP '2026-09-01' + to_hours(range) AS t FROM range(5)")
    del holder
    gc.collect()
    got = pending.df()
    assert got["n"].tolist() == list(range(5)) and got["t"].iloc[4] == pd.Timestamp("2026-09-01 04:00")
    assert name in {r[0] for r in con.execute(catalog).fetchall()}  # not yet undone
    duck.scalar("SELECT 1")
    assert name not in {r[0] for r in con.execute(catalog).fetchall()}  # undone at the cursor's next use


def test_a_csv_folder_with_a_cell_that_cannot_be_read_names_it_and_computes_nothing(group, tmp_path):
    root, src, lake = group
    csv = tmp_path / "bad"
    csv.mkdir()
    lines = (ROOT / "samples" / "surveys.csv").read_text(encoding="gb18030").splitlines()  # as the export came
    first = lines[1].split(",")
    first[6] = "很好吧"  # the satisfaction score
    (csv / "s.csv").write_text("\n".join([lines[0], ",".join(first), *lines[2:]]), encoding="utf-8")
    r = CliRunner().invoke(cli, ["kpi", str(src), "--source", f"surveys={csv}"])
    assert r.exit_code == 1 and "很好吧" in r.output and str(csv) in r.output
    assert not (csv / ".qualitybook").exists()


def test_kpi_and_pareto_over_an_outside_source_bring_no_row_into_python(group, monkeypatch):
    """With every table outside, the figures are computed where the rows lie: no ticket, survey or inspection row is
    turned into a Python frame (``Rows.to_frame`` is the only way rows come back), and the figures are the book's."""
    from pyaddin.engine.rows import Rows

    root, src, lake = group
    own = run("kpi", src, "--quarter", "2026Q3", "--json")
    own_pareto = run("pareto", src, "--quarter", "2026Q3", "--json")
    asked = []
    real = Rows.to_frame

    def counted(self, columns=None, order=True):
        out = real(self, columns, order)
        asked.append((tuple(out.columns), len(out)))
        return out

    monkeypatch.setattr(Rows, "to_frame", counted)
    book = empty_book(root, "lake_only.xlsm")
    sources = [x for t in TABLES for x in ("--source", f"{t}={lake / t}")]
    got = run("kpi", book, "--quarter", "2026Q3", "--json", *sources)
    got.pop("sources")
    assert got == own
    assert run("pareto", book, "--quarter", "2026Q3", "--json", *sources) == own_pareto
    # only the few columns of the rows a row-by-row figure needs: the period's visits and survey invitations (and
    # the previous period's visits), never a table whole
    visits = ("appointment_at", "arrived_at", "visit_end_at", "fixed_first_visit", "channel", "department", "agent")
    assert {c for c, _ in asked} == {visits, ("sent_at", "csat", "nps", "channel", "department")}, asked
    assert sum(n for _, n in asked) < 4000 / 4


def test_the_books_own_rows_are_computed_into_memory_an_outside_sources_into_the_engines_file(group, monkeypatch):
    """What is made of a workbook's table (a sheet's rows at most) is kept in memory, twice as fast to make; what is
    made of an outside source (tens of millions of rows) is stored compressed in the engine's database file."""
    from pyaddin.core import view
    from pyaddin.engine import duck

    root, src, lake = group
    made = []
    real = view.temp_table

    def recorded(sql, owner, prefix="t", in_memory=False, **relations):
        name = real(sql, owner, prefix, in_memory, **relations)
        kind = duck.scalar(f"SELECT temporary FROM duckdb_tables() WHERE table_name = '{name}'")
        made.append((prefix, in_memory, kind))
        return name

    monkeypatch.setattr(view, "temp_table", recorded)
    run("kpi", src, "--quarter", "2026Q3", "--json")
    assert {p for p, _, _ in made} == {"flags", "answers", "scores"}
    assert all(m and kind for _, m, kind in made), made
    made.clear()
    book = empty_book(root, "lake_tables.xlsm")
    run("kpi", book, "--quarter", "2026Q3", "--json", *[x for t in TABLES for x in ("--source", f"{t}={lake / t}")])
    assert {p for p, _, _ in made} == {"flags", "answers", "scores"}
    assert not any(m or kind for _, m, kind in made), made


@pytest.mark.parametrize("command", [["alerts"], ["appraise", "--quarter", "2026Q3"]])
def test_alerts_and_the_appraisal_over_the_source_equal_the_books_own(group, monkeypatch, command):
    """The control charts' weekly series, the overdue tickets (the only rows that come back: they are cited), the
    agents' and departments' §9 inputs: computed where the rows lie, the same as on the workbook's own tables."""
    from pyaddin.engine.rows import Rows

    root, src, lake = group
    own = run(command[0], src, *command[1:], "--json")
    book = empty_book(root, f"lake_{command[0]}.xlsm")
    run("config", book, "--json", *(f"source.{t}={lake / t}" for t in TABLES))
    monkeypatch.setattr(Rows, "to_frame", lambda *a, **k: pytest.fail("a row was read into Python"))
    got = run(command[0], book, *command[1:], "--json")
    assert got == own
    assert got.get("breaches") or got.get("agents")  # there was something to compare


def test_the_audit_sample_over_the_source_is_the_books_own(group, monkeypatch):
    """Counted per agent and drawn by the hash of seed and ticket id where the rows lie (DOMAIN.md §8): the same
    tickets as from the workbook's own table; only the chosen tickets come back."""
    from pyaddin.engine.rows import Rows

    root, src, lake = group
    own = run("sample", src, "--period", "2026-09", "--json")
    book = empty_book(root, "lake_sample.xlsm")
    run("config", book, "--json", f"source.tickets={lake / 'tickets'}")
    monkeypatch.setattr(Rows, "to_frame", lambda *a, **k: pytest.fail("a row was read into Python"))
    got = run("sample", book, "--period", "2026-09", "--json")
    assert got == own and 0 < len(got["sample"]) < got["population"]


def test_the_report_over_the_source_is_the_books_own(group, monkeypatch, tmp_path):
    """The monitoring report of a month from the group's Parquet: every figure, case and recommendation as from the
    workbook's own tables (the same .html), no table read into Python."""
    from pyaddin.engine.rows import Rows

    root, src, lake = group
    own, got = tmp_path / "own.html", tmp_path / "lake.html"
    CliRunner().invoke(cli, ["report", str(src), "--period", "2026-09", "-o", str(own)])
    book = empty_book(root, "lake_report.xlsm")
    run("config", book, "--json", *(f"source.{t}={lake / t}" for t in TABLES))
    real = Rows.to_frame

    def few(self, columns=None, order=True):  # the visit fields of the tickets with visits, and nothing else
        assert columns is not None and "appointment_at" in columns, "a table was read into Python"
        return real(self, columns, order)

    monkeypatch.setattr(Rows, "to_frame", few)
    r = CliRunner().invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(got)])
    assert r.exit_code == 0, r.output
    text = got.read_text(encoding="utf-8")
    line = "<p class='small'>外部数据:工单数据4,000行, 满意度调查1,077行, 质检记录2,120行</p>"
    assert line in text and line not in own.read_text(encoding="utf-8")  # the report says where its figures came from
    assert text.replace(line, "") == own.read_text(encoding="utf-8") and "服务很耐心" in text  # a customer's words
    import openpyxl

    xlsx = tmp_path / "lake.xlsx"
    assert CliRunner().invoke(cli, ["report", str(book), "--period", "2026-09", "-o", str(xlsx)]).exit_code == 0
    assert openpyxl.load_workbook(xlsx).active["A2"].value == "外部数据:工单数据4,000行, 满意度调查1,077行, 质检记录2,120行"


@pytest.mark.parametrize("command", [["alerts"], ["appraise", "--quarter", "2026Q3"],
                                     ["sample", "--period", "2026-09"], ["problems", "--quarter", "2026Q3"],
                                     ["report", "--period", "2026-09", "-o"]])
def test_every_command_that_reads_the_tickets_takes_source_for_one_run(group, command, tmp_path):
    """``--source TABLE=WHERE`` on each command that reads the tickets, as on kpi and pareto: the run reads the lake
    (the book's own tables left aside), with the book's own figures; the book's settings are not changed (verify's
    ``--source``: tests/test_pdca.py)."""
    root, src, lake = group
    book = empty_book(root, f"once_{command[0]}.xlsm")
    sources = [x for t in TABLES for x in ("--source", f"{t}={lake / t}")]
    if command[0] == "report":
        own, got = tmp_path / "own.html", tmp_path / "lake.html"
        assert CliRunner().invoke(cli, ["report", str(src), *command[1:], str(own)]).exit_code == 0
        r = CliRunner().invoke(cli, ["report", str(book), *command[1:], str(got), *sources])
        assert r.exit_code == 0, r.output
        line = "<p class='small'>外部数据:工单数据4,000行, 满意度调查1,077行, 质检记录2,120行</p>"
        assert got.read_text(encoding="utf-8").replace(line, "") == own.read_text(encoding="utf-8")
    elif command[0] == "problems":
        r = CliRunner().invoke(cli, ["problems", str(book), *command[1:], *sources])
        assert r.exit_code == 0, r.output
        with FileBook(book) as b:  # the lake's vital few became the empty book's problems
            assert len(b.read(schema.table("problems")).data) > 0
    else:
        own = run(command[0], src, *command[1:], "--json")
        got = run(command[0], book, *command[1:], "--json", *sources)
        got.pop("sources", None)
        assert got == own
    with FileBook(book) as b:
        assert not any(k.startswith("source.") for k in b.text_settings)  # --source is for one run


def test_an_outside_sources_words_are_read_with_the_workbooks_vocabularies(group, tmp_path):
    """A data team's table with the words its system writes — channels and priorities as Chinese labels, statuses
    as export words, a channel word of its own mapped on 字段映射 — gives the figures of the canonical keys."""
    from pyaddin.book import FileBook
    from pyaddin.schema import CHANNEL, PRIORITY, VALUE_MAPPING

    root, src, lake = group
    own = run("kpi", src, "--quarter", "2026Q3", "--json")
    t = pd.concat([pd.read_parquet(f) for f in sorted((lake / "tickets").glob("*.parquet"))], ignore_index=True)
    labels = {k: zh for k, zh, _ in CHANNEL.members}
    t["channel"] = t["channel"].map(lambda c: "热线" if c == "phone" else labels.get(c, c))
    t["priority"] = t["priority"].map(lambda p: PRIORITY.label(p, "zh") if isinstance(p, str) else p)
    (tmp_path / "t").mkdir()
    pq.write_table(pa.Table.from_pandas(t, preserve_index=False), tmp_path / "t" / "tickets.parquet")
    book = empty_book(root, "words.xlsm")
    with FileBook(book) as b:
        b.write(VALUE_MAPPING, pd.DataFrame({"field": ["渠道"], "source_value": ["热线"], "value": ["电话"]}))
        b.save(backup=False)
    run("config", book, "--json", f"source.tickets={tmp_path / 't'}", f"source.surveys={lake / 'surveys'}",
        f"source.inspections={lake / 'inspections'}")
    got = run("kpi", book, "--quarter", "2026Q3", "--json")
    got.pop("sources")
    assert set(got["by_channel"]) == set(own["by_channel"]) and got == own


def test_a_median_without_sorting_is_the_sorted_values_median_to_the_last_digit():
    """PERCENTILE.INC's median from the two discrete medians (of x and of −x) equals the one from each group's sorted
    values, bit for bit, for every group size — odd and even, ties, one value."""
    import numpy as np

    from pyaddin.engine import duck

    rng = np.random.default_rng(5)
    keys = np.repeat(np.arange(60), np.arange(1, 61))  # groups of 1 … 60 values
    values = np.array([round(v, int(d)) for v, d in zip(rng.gamma(2.0, 30.0, len(keys)), rng.integers(0, 3, len(keys)))])  # ties
    rows = pd.DataFrame({"key": keys, "x": values})
    disc = duck.query(metrics.quantiles_sql("rows", "x", {"m": 0.5}) + " ORDER BY key", rows=rows)
    listed = duck.query(metrics.quantiles_sql("rows", "x", {"m": 0.5, "p": 0.9}) + " ORDER BY key", rows=rows)
    assert "QUANTILE_DISC" in metrics.quantiles_sql("rows", "x", {"m": 0.5})
    assert disc["m"].tolist() == listed["m"].tolist()  # to the last digit
    assert disc["m"].tolist() == pytest.approx([float(np.median(values[keys == k])) for k in range(60)], rel=1e-12)


def test_the_previous_period_without_quantiles_keeps_every_card_figure():
    """The cards' previous period is computed without medians and P90 (``result(quantiles=False)``, sparing a sort
    of the period's times): every headline indicator is the same as with them, only the quantiles are blank."""
    from test_kpi_core import STD, typed

    from pyaddin.core import kpi
    from pyaddin.schema import HEADLINE_KEYS
    from test_kpi import INSPECTIONS_ZH, SURVEYS_ZH, TICKETS_ZH

    v = kpi.view(typed(schema.TICKETS, TICKETS_ZH), typed(schema.SURVEYS, SURVEYS_ZH),
                 typed(schema.INSPECTIONS, INSPECTIONS_ZH), STD, kpi.month_period("2026-09"))
    full, lean = kpi.result(v, dims=()), kpi.result(v, dims=(), quantiles=False)
    assert all(lean["overall"][m] == full["overall"][m] for m in HEADLINE_KEYS)
    assert full["overall"]["median_first_response_min"] is not None
    assert lean["overall"]["median_first_response_min"] is None and lean["overall"]["p90_first_response_min"] is None


def test_a_killed_runs_engine_folder_is_never_opened_again_and_is_swept(tmp_path):
    """A run killed while the engine held its tables (a timeout, the task manager) leaves its folder: its database
    file and write-ahead log.  A later run given the same process number must not open that database (replaying
    its log failed: "Table with name flags_630 already exists"), and the dead run's folder is removed."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    killed = subprocess.Popen(
        [sys.executable, "-c", "import time\nfrom pyaddin.engine import duck\n"
         "duck.cursor().execute('CREATE TABLE flags_1 AS SELECT range AS x FROM range(200000)')\n"
         "print('ready', flush=True)\ntime.sleep(120)"], env=env, stdout=subprocess.PIPE, text=True)
    assert killed.stdout.readline().strip() == "ready"
    killed.kill()
    killed.wait()
    left = [p for p in tmp_path.iterdir() if p.name.startswith("qualitybook-duckdb-")]
    assert len(left) == 1 and (left[0] / "engine.duckdb").exists()
    later = ("import os, sys\n"
             "mine = os.path.join(sys.argv[1], f'qualitybook-duckdb-{os.getpid()}')\n"  # as the old naming made it
             "os.mkdir(mine)\n"
             "open(os.path.join(mine, 'engine.duckdb'), 'wb').write(b'left by a killed run' * 100)\n"
             "from pyaddin.engine import duck\n"
             "print(duck.scalar('SELECT 42'))\n")
    out = subprocess.run([sys.executable, "-c", later, str(tmp_path)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["42"]
    assert not left[0].exists()  # the killed run's folder: swept
    import re

    # what is left: the stand-in alone (its own number's folder is not the later run's to judge); the later run's
    # own folder went at its exit
    assert [bool(re.fullmatch(r"qualitybook-duckdb-\d+", p.name)) for p in tmp_path.iterdir()] == [True]
