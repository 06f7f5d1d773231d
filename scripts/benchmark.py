"""Benchmark: `qualitybook kpi` against python-calamine's bare read of the tickets table.

    python scripts/benchmark.py [--sizes 100000 1000000]

For each size it builds a workbook (surveys and inspections in proportion, as in the
sample data), then in the same run measures: calamine alone reading tbl_tickets, and the
whole `qualitybook kpi` command (a fresh process: read, parse, compute, write, save), with
its peak memory.  Targets (issue 4): kpi ≤ 2 × the calamine read, peak < 1.5 GB at 1 M.
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


def calamine_read(path: Path) -> float:
    code = ("import python_calamine as pc, time, sys; t=time.perf_counter(); "
            "wb=pc.CalamineWorkbook.from_path(sys.argv[1], load_tables=True); "
            "rows=wb.get_table_by_name('tbl_tickets').to_python(); print(time.perf_counter()-t, len(rows))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[0])


PEAK = ("import atexit, resource, sys\n"
        "atexit.register(lambda: sys.stderr.write('PEAK_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
        "from pyaddin.cli.main import main\n"
        "sys.argv[0] = 'qualitybook'\n"
        "main()\n")


def kpi_run(path: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of the whole command in a fresh process (its own getrusage at exit)."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK, "kpi", str(path), "--quarter", "2026Q3"], check=True,
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    peak_kb = int(out.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return elapsed, peak_kb / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--make", nargs=2, metavar=("PATH", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make:
        make_book(Path(args.make[0]), int(args.make[1]))
        return
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}, Python {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores")
    print(f"{'tickets':>10} {'calamine s':>11} {'kpi s':>8} {'ratio':>6} {'peak MB':>8}")
    tmp = Path(tempfile.mkdtemp(prefix="qb-bench-"))
    try:
        for n in args.sizes:
            book = tmp / f"bench_{n}.xlsm"
            # built in its own process: a child's peak RSS inherits the parent's high-water mark through fork
            subprocess.run([sys.executable, __file__, "--make", str(book), str(n)], check=True)
            read = calamine_read(book)
            work = tmp / f"run_{n}.xlsm"
            shutil.copy(book, work)
            elapsed, peak = kpi_run(work)
            print(f"{n:>10,} {read:>11.2f} {elapsed:>8.2f} {elapsed / read:>6.2f} {peak:>8.0f}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
