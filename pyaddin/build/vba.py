"""Writing the VBA project with pyOpenVBA: xlwings' standalone modules plus QualityBook.bas.

xlwings' modules come from the pinned xlwings package itself (its standalone quickstart
workbook), so the workbook carries exactly the VBA of the Python package it talks to and
users need no add-in installed.
"""
from __future__ import annotations

from pathlib import Path

import xlwings
from pyopenvba import ExcelFile, VBAModuleKind

VBA_DIR = Path(__file__).with_name("vba")
XLWINGS_STANDALONE = Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")
XLWINGS_MODULES = (("xlwings", VBAModuleKind.standard), ("Dictionary", VBAModuleKind.other))


def xlwings_modules() -> dict[str, str]:
    with ExcelFile(XLWINGS_STANDALONE) as x:
        return {name: x.get_module(name) for name, _ in XLWINGS_MODULES}


def own_modules() -> dict[str, str]:
    """Our VBA, kept as text in the repo; VBA wants CRLF line ends."""
    return {p.stem: p.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
            for p in sorted(VBA_DIR.glob("*.bas"))}


def write_project(src: Path, dst: Path, replace: dict[str, str] | None = None) -> None:
    """Give ``src`` a VBA project with every module; ``replace`` swaps a module's source (tests' stubs)."""
    sources = xlwings_modules()
    kinds = dict(XLWINGS_MODULES)
    sources.update(own_modules())
    sources.update(replace or {})
    with ExcelFile(src) as x:
        project = x.add_vba_project() if not x.has_vba_project() else x.vba_project()
        for name, code in sources.items():
            project.add_module(name, code, kind=kinds.get(name, VBAModuleKind.standard))
        x.save(dst)


def replace_modules(path: Path, dst: Path, replace: dict[str, str]) -> None:
    """A copy of a built workbook with some modules' code swapped (used by the LibreOffice tests)."""
    with ExcelFile(path) as x:
        for name, code in replace.items():
            x.set_module(name, code)
        x.save(dst)
