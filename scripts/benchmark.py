"""Benchmark: the actions on a book of N tickets, against python-calamine's read and DuckDB's query, in one run.

    nice -n 10 python scripts/benchmark.py [--sizes 100000 1000000]

For each size, in one run (each command in a fresh process, with its own peak memory):
- a workbook of that many tickets (surveys and inspections in proportion, as in the sample data);
  python-calamine alone reading tbl_tickets (the baseline of the ratios);
- kpi on the book without its columnar copy (read from the sheets; the copy is written);
- kpi, pareto, alerts, appraise, report and sample on the unchanged book (read from the copy): the whole
  command, and the action alone in a process that has imported everything (its computation in-process);
- DuckDB's own query of the copy (the quarter's Pareto of categories from tbl_tickets.parquet), in-process;
- a ticket export (.xlsx, Chinese headers, text dates such as 2026/9/3 8:05:00): python-calamine alone
  reading it, `qualitybook import` of it into a new workbook, then the same actions right after the import.
Targets (issue 21): at 1 M each action ≤ 3 s and its in-process time ≤ 5 × DuckDB's query; at 100 000 each
action ≤ 0.5 × calamine's read; import ≤ 1.5 × calamine's read of the export; peaks < 0.8 GB (actions) and
< 1.0 GB (import of 1 M).  The machine is shared: figures are ratios within one run.
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def make_book(path: Path, n: int) -> None:
    import sample_data
    from pyaddin import schema
    from pyaddin.book import FileBook
    from pyaddin.build.workbook import build_book

    build_book(path, "zh")
    data = sample_data.generate(n)
    with FileBook(path) as b:
        for key in ("tickets", "surveys", "inspections"):
            b.write(schema.table(key), data[key])
        b.save(backup=False)


def make_export(path: Path, n: int) -> None:
    """A ticket export as a Chinese ticket system writes it: one sheet, Chinese headers, text dates."""
    import openpyxl

    import sample_data
    from pyaddin import schema
    from pyaddin.ooxml.package import Package
    from pyaddin.ooxml.sheetdata import Column, SheetWrite

    t = sample_data.export_frames(sample_data.generate(n))["tickets"]
    blank = path.with_suffix(".blank.xlsx")
    wb = openpyxl.Workbook()
    wb.active.title = "工单导出"
    wb.active["A1"] = "x"
    wb.save(blank)
    import pandas as pd

    cols = [Column(str(c), t[c], pd.api.types.is_numeric_dtype(t[c].dtype) and t[c].dtype != bool) for c in t.columns]
    with Package(blank) as pkg:
        part = "xl/worksheets/sheet1.xml"
        plan = SheetWrite(pkg.read(part), (0, 1, 0, 1), cols, "", {}, "工单导出")
        pkg.write_stream(part, plan.chunks)
        pkg.save(path, backup=False)
    blank.unlink()
    del schema


def calamine_read(path: Path, table: str | None) -> tuple[float, float]:
    """Seconds python-calamine takes to read the tickets (a table of a book, or an export's first sheet), and
    its own peak memory (MB)."""
    get = (f"wb.get_table_by_name('{table}').to_python()" if table else "wb.get_sheet_by_index(0).to_python()")
    code = ("import python_calamine as pc, resource, time, sys; t=time.perf_counter(); "
            f"wb=pc.CalamineWorkbook.from_path(sys.argv[1], load_tables=True); rows={get}; "
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    seconds, peak_kb = out.stdout.split()
    return float(seconds), int(peak_kb) / 1024


PEAK = ("import atexit, resource, sys\n"
        "atexit.register(lambda: sys.stderr.write('PEAK_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
        "from pyaddin.cli.main import main\n"
        "sys.argv[0] = 'qualitybook'\n"
        "main()\n")


def command(*args: str, expect: int = 0) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one command in a fresh process (its own getrusage at exit)."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if out.returncode != expect:
        raise SystemExit(f"{args[0]} exited {out.returncode}: {out.stderr[-2000:]}")
    peak_kb = int(out.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return elapsed, peak_kb / 1024


ACTIONS = {  # what each measured action is given on the command line
    "kpi": ["--quarter", "2026Q3"],
    "pareto": ["--quarter", "2026Q3"],
    "alerts": [],
    "appraise": ["--quarter", "2026Q3"],
    "report": ["--period", "2026-09", "-o", "{tmp}/report.xlsx"],
    "sample": ["--period", "2026-09"],
}
IN_PROCESS = {"kpi": {"quarter": "2026Q3"}, "pareto": {"quarter": "2026Q3"}, "alerts": {},
              "appraise": {"quarter": "2026Q3"}, "report": {"period": "2026-09", "output": "{tmp}/report.xlsx"},
              "sample": {"period": "2026-09"}}
WARM = ("import sys, time, json\n"
        "import pandas, pyarrow.parquet\n"
        "from pyaddin.context import Context\n"
        "from pyaddin.runner import run_file\n"
        "import pyaddin.book, pyaddin.registry, pyaddin.core.kpi, pyaddin.core.appraisal, pyaddin.reports.content\n"
        "import pyaddin.reports.writers, pyaddin.core.alerts, pyaddin.core.pareto, pyaddin.core.sampling\n"
        "opts = json.loads(sys.argv[3])\n"
        "t = time.perf_counter(); run_file(sys.argv[1], sys.argv[2], Context(), **opts)\n"
        "print(time.perf_counter() - t)\n")
DUCK = ("import sys, time, duckdb\n"
        "con = duckdb.connect(); con.execute('select 1')\n"
        "t = time.perf_counter()\n"
        "rows = con.execute(\"select category, count(*) n from read_parquet(?) where created_at >= timestamp '2026-07-01' \"\n"
        "                   \"and created_at < timestamp '2026-10-01' group by category order by n desc\", [sys.argv[1]]).fetchall()\n"
        "print(time.perf_counter() - t)\n")


def in_process(action: str, book: Path, tmp: Path) -> float:
    """Seconds of the action alone, in a process that has imported everything (read of the copy, computation,
    writing, saving)."""
    opts = {k: v.format(tmp=tmp) for k, v in IN_PROCESS[action].items()}
    out = subprocess.run([sys.executable, "-c", WARM, action, str(book), json.dumps(opts)], capture_output=True,
                         text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    return float(out.stdout.split()[-1])


def duckdb_query(book: Path) -> float:
    from pyaddin import colcache

    out = subprocess.run([sys.executable, "-c", DUCK, str(colcache.path_of(book, "tbl_tickets"))],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


SCAN = ("import sys, time, duckdb\n"
        "con = duckdb.connect(); con.execute('select 1')\n"
        "t = time.perf_counter()\n"
        "cols = sys.argv[2].split(',')\n"
        "con.execute('select ' + ', '.join(f'count({c})' for c in cols) + ' from read_parquet(?)', [sys.argv[1]]).fetchall()\n"
        "print(time.perf_counter() - t)\n")
LAKE_COLUMNS = ("created_at,channel,department,agent,priority,category,first_response_at,resolved_at,contacts,reopened,"
                "is_complaint,complaint_level,resolution_note")


def lake(n: int, tmp: Path, folder: Path | None) -> None:
    """The group's history: N tickets as Parquet (``sample_data.py --rows N --parquet``), the quarter's KPIs and
    Pareto through DuckDB from an empty workbook pointed at it (``--source``), against DuckDB's bare scan of the
    columns the KPIs read (the baseline of the ratio)."""
    folder = folder or tmp / f"lake_{n}"
    if not (folder / "tickets").is_dir():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "sample_data.py"), "--rows", str(n), "--parquet",
                        str(folder)], check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", SCAN, str(folder / "tickets" / "*.parquet"), LAKE_COLUMNS],
                         capture_output=True, text=True, check=True)
    scan = float(out.stdout.split()[-1])
    line("DuckDB bare scan (Parquet)", n, scan, scan, None, "the columns the KPIs read")
    book = tmp / "group.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    sources = [x for t in ("tickets", "surveys", "inspections") for x in ("--source", f"{t}={folder / t}")]
    for name in ("kpi", "pareto"):
        elapsed, peak = command(name, str(book), "--quarter", "2026Q3", *sources)
        line(f"{name} over Parquet (DuckDB)", n, elapsed, scan, peak, "whole command; ratio: to the bare scan")
    command("config", str(book), *(f"source.{t}={folder / t}" for t in ("tickets", "surveys", "inspections")))
    for name, args in (("alerts", []), ("appraise", ["--quarter", "2026Q3"]), ("sample", ["--period", "2026-09", "--rate", "0.01"]),
                       ("report", ["--period", "2026-09", "-o", str(tmp / "lake_report.xlsx")])):
        elapsed, peak = command(name, str(book), *args)
        line(f"{name} over Parquet (DuckDB)", n, elapsed, scan, peak, "whole command, source.<table> on 监控标准")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("Spark local mode: not measured (pip install qualitybook[spark])", flush=True)
        return
    elapsed, peak = command_script(SPARK, str(folder))
    line("the quarter's KPIs on Spark local", n, elapsed, scan, peak, "the same SQL (sqlglot); peak: Python + JVM")


SPARK = """
import os, sys, time, pandas as pd
os.environ.setdefault("PYSPARK_SUBMIT_ARGS", "--driver-memory 6g pyspark-shell")  # the quarter's lists in one JVM
from pyspark.sql import functions as F
from pyaddin.core import clock, kpi
from pyaddin.engine import metrics, spark, timing
folder = sys.argv[1]
s = spark.session("local[2]", "Etc/GMT-8")
t0 = time.perf_counter()
df = s.read.parquet(folder + "/tickets")
for c, d in kpi.TICKET_COLUMNS.items():  # the canonical columns, a missing one as a typed blank
    if c not in df.columns:
        df = df.withColumn(c, F.lit(None).cast("timestamp" if d == kpi.TIME else "boolean" if d == kpi.YES_NO
                                            else "double" if d == kpi.NUMBER else "string"))
q = df.where("created_at >= '2026-07-01' AND created_at < '2026-10-01'")
q.createOrReplaceTempView("rows")
std = kpi.Standards.from_table(pd.DataFrame(columns=["kind", "key", "value", "direction", "warning_band"]))
as_of = pd.Timestamp("2026-10-01")
plan, days = clock.timing(std, as_of, False, False, pd.Timestamp("2026-07-01"), as_of)
s.createDataFrame(days.to_pandas()).createOrReplaceTempView("days__")
keep = ("department", "agent", "channel", "category")
flags = metrics.ticket_flags_sql(f"({timing.sla_sql('rows', 'days__', plan, keep + kpi.FLAG_INPUTS)}) timed", False, keep)
s.sql(spark.spark_sql(flags)).cache().createOrReplaceTempView("flags")
for key in ("CAST(0 AS INT)", "department", "agent", "channel"):
    s.sql(spark.spark_sql(metrics.ticket_groups_sql("flags", key))).collect()
s.sql(spark.spark_sql(metrics.pareto_counts_sql("(SELECT category AS value, 1.0 AS weight FROM rows) p", "未分类"))).collect()
print(time.perf_counter() - t0)
"""


def command_script(script: str, *args: str) -> tuple[float, float]:
    """Wall time and peak RSS (MB, this process and its children: Spark's JVM) of a script in a fresh process."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script + PEAK_CHILDREN, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    return elapsed, int(out.stdout.rsplit("PEAK_KB", 1)[1].split()[0]) / 1024


PEAK_CHILDREN = """
import os, resource
def hwm(pid):  # a process's peak resident set (kB), from /proc
    try:
        return next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM"))
    except (OSError, StopIteration):
        return 0
kids = [int(p) for p in os.listdir("/proc") if p.isdigit() and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid())]
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + sum(hwm(k) for k in kids))
"""


def line(label: str, n: int, seconds: float, base: float, peak: float | None = None, extra: str = "") -> None:
    print(f"{label:>30} {n:>10,} {seconds:>8.2f} {seconds / base:>7.2f} {'' if peak is None else f'{peak:8.0f}':>8} "
          f"{extra}", flush=True)


def actions_on(book: Path, n: int, base: float, duck: float | None, tmp: Path, when: str) -> None:
    for name, args in ACTIONS.items():
        elapsed, peak = command(name, str(book), *[a.format(tmp=tmp) for a in args])
        warm = in_process(name, book, tmp)
        line(f"{name} ({when})", n, elapsed, base, peak,
             f"in-process {warm:.2f} s" + (f" = {warm / duck:.1f} x DuckDB" if duck else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--lake", type=int, metavar="N", help="Only the group measure: N tickets in Parquet (e.g. 10000000).")
    ap.add_argument("--lake-dir", type=Path, help="Parquet written before by sample_data.py --parquet (else generated).")
    ap.add_argument("--make", nargs=3, metavar=("KIND", "PATH", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make:
        (make_book if args.make[0] == "book" else make_export)(Path(args.make[1]), int(args.make[2]))
        return
    from pyaddin import colcache

    print(f"machine: {platform.machine()}, {platform.processor() or '?'}, Python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores")
    print(f"{'measure':>30} {'tickets':>10} {'seconds':>8} {'ratio':>7} {'peak MB':>8}  (ratio: to calamine's read)")
    tmp = Path(tempfile.mkdtemp(prefix="qb-bench-"))
    try:
        if args.lake:
            lake(args.lake, tmp, args.lake_dir)
            return
        for n in args.sizes:
            # inputs are built in their own process: a child's peak RSS inherits the parent's high-water mark
            book = tmp / f"bench_{n}.xlsm"
            subprocess.run([sys.executable, __file__, "--make", "book", str(book), str(n)], check=True)
            shutil.rmtree(colcache.folder(book), ignore_errors=True)
            read = calamine_read(book, "tbl_tickets")
            line("calamine read of tbl_tickets", n, read[0], read[0], read[1])
            elapsed, peak = command("kpi", str(book), "--quarter", "2026Q3")
            line("kpi (no copy: from the sheets)", n, elapsed, read[0], peak)
            duck = duckdb_query(book)
            line("DuckDB query of the copy", n, duck, read[0], None, "the quarter's Pareto")
            actions_on(book, n, read[0], duck, tmp, "unchanged")
            shutil.rmtree(colcache.folder(book), ignore_errors=True)
            book.unlink()
            export = tmp / f"export_{n}.xlsx"
            subprocess.run([sys.executable, __file__, "--make", "export", str(export), str(n)], check=True)
            xread = calamine_read(export, None)
            line("calamine read of the export", n, xread[0], xread[0], xread[1])
            target = tmp / f"import_{n}.xlsm"
            shutil.copy(ROOT / "qualitybook.xlsm", target)
            elapsed, peak = command("import", str(target), str(export), "--into", "tickets")
            line("import (ratio: to the export's read)", n, elapsed, xread[0], peak)
            export.unlink()
            actions_on(target, n, read[0], duck, tmp, "after import")
            shutil.rmtree(colcache.folder(target), ignore_errors=True)
            target.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
