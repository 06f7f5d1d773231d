"""Build the packaged ``qualitybook`` executable with PyInstaller (one folder: starts fast, no unpacking).

    python scripts/build_exe.py [--dist DIR] [--onefile]

On Windows this makes ``dist/qualitybook/qualitybook.exe``: put the folder beside the
workbook (or write the path of the .exe on the _xlwings.conf sheet, row "QualityBook
Executable") and the ribbon runs it through xlwings' RunFrozenPython.  On Linux the same
script makes the Linux executable, which the tests build and run.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "pyaddin" / "__main__.py"  # absolute imports only: PyInstaller runs it as a script


def build(dist: Path, work: Path, *, onefile: bool = False) -> Path:
    import PyInstaller.__main__

    args = [str(ENTRY), "--name", "qualitybook", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(dist), "--workpath", str(work), "--specpath", str(work),
            "--collect-submodules", "pyaddin",  # actions are found by import, not by static analysis
            "--collect-data", "pyaddin",  # the VBA sources the build writes into new workbooks
            "--collect-data", "xlwings",  # its standalone VBA workbook, for `qualitybook new`
            "--copy-metadata", "qualitybook",  # --version
            "--exclude-module", "tkinter", "--exclude-module", "IPython"]
    args.append("--onefile" if onefile else "--onedir")
    PyInstaller.__main__.run(args)
    exe = dist / ("qualitybook" if onefile else "qualitybook/qualitybook")
    return exe.with_suffix(".exe") if sys.platform == "win32" else exe


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=ROOT / "dist")
    ap.add_argument("--work", type=Path, default=ROOT / "build-tmp")
    ap.add_argument("--onefile", action="store_true")
    a = ap.parse_args()
    print(build(a.dist, a.work, onefile=a.onefile))


if __name__ == "__main__":
    main()
