"""Benchmark: `qualitybook kpi` and `qualitybook import` against python-calamine's bare read.

    python scripts/benchmark.py [--sizes 100000 1000000]

For each size, in one run:
- kpi: a workbook of that many tickets (surveys and inspections in proportion, as in the
  sample data); python-calamine alone reading tbl_tickets, then the whole `qualitybook kpi`
  command in a fresh process (read, parse, compute, write, save), with its peak memory.
- import: a ticket export (.xlsx, Chinese headers, text dates such as 2026/9/3 8:05:00);
  python-calamine alone reading it, then `qualitybook import` of it into a new workbook in a
  fresh process, with its peak memory; then the same import again, refused as duplicates.
Targets (issues 4 and 7): each ≤ 2 × its calamine read, peak < 1.5 GB at 1 M.
"""
from __future__ import annotations

import argparse
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


def row(label: str, n: int, read: tuple[float, float], elapsed: float, peak: float) -> None:
    print(f"{label:>16} {n:>10,} {read[0]:>11.2f} {read[1]:>12.0f} {elapsed:>8.2f} {elapsed / read[0]:>6.2f} "
          f"{peak:>8.0f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--only", choices=["kpi", "import"], help="Measure one command only.")
    ap.add_argument("--make", nargs=3, metavar=("KIND", "PATH", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make:
        (make_book if args.make[0] == "book" else make_export)(Path(args.make[1]), int(args.make[2]))
        return
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}, Python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores")
    print(f"{'command':>16} {'tickets':>10} {'calamine s':>11} {'calamine MB':>12} {'cmd s':>8} {'ratio':>6} "
          f"{'peak MB':>8}")
    tmp = Path(tempfile.mkdtemp(prefix="qb-bench-"))
    try:
        for n in args.sizes:
            # inputs are built in their own process: a child's peak RSS inherits the parent's high-water mark
            if args.only in (None, "kpi"):
                book = tmp / f"bench_{n}.xlsm"
                subprocess.run([sys.executable, __file__, "--make", "book", str(book), str(n)], check=True)
                read = calamine_read(book, "tbl_tickets")
                work = tmp / f"run_{n}.xlsm"
                shutil.copy(book, work)
                row("kpi", n, read, *command("kpi", str(work), "--quarter", "2026Q3"))
                book.unlink()
                work.unlink()
            if args.only in (None, "import"):
                export = tmp / f"export_{n}.xlsx"
                subprocess.run([sys.executable, __file__, "--make", "export", str(export), str(n)], check=True)
                read = calamine_read(export, None)
                target = tmp / f"import_{n}.xlsm"
                shutil.copy(ROOT / "qualitybook.xlsm", target)
                row("import", n, read, *command("import", str(target), str(export), "--into", "tickets"))
                row("import (dupes)", n, read, *command("import", str(target), str(export), "--into", "tickets",
                                                          expect=1))
                export.unlink()
                target.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
