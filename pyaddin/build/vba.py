"""Writing the VBA project with pyOpenVBA: xlwings' standalone modules plus QualityBook.bas.

xlwings' modules come from the pinned xlwings package itself (its standalone quickstart
workbook), so the workbook carries exactly the VBA of the Python package it talks to and
users need no add-in installed.
"""
from __future__ import annotations

from pathlib import Path

import xlwings
from pyopenvba import ExcelFile, VBAModuleKind
from pyopenvba.cfb import CFB

VBA_DIR = Path(__file__).with_name("vba")
XLWINGS_STANDALONE = Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")
XLWINGS_MODULES = (("xlwings", VBAModuleKind.standard), ("Dictionary", VBAModuleKind.other))


NO_CACHE = bytes.fromhex("cc61ffff000100")  # MS-OVBA 2.3.4.1: what a writer without a performance cache writes


def crlf(code: str) -> str:
    """VBA source lines end in CRLF (MS-OVBA 2.3.4.3); xlwings ships some modules with bare LF."""
    return code.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def xlwings_modules() -> dict[str, str]:
    with ExcelFile(XLWINGS_STANDALONE) as x:
        return {name: crlf(x.get_module(name)) for name, _ in XLWINGS_MODULES}


VBA_TEXTS = ("vba_exe_missing", "vba_failed", "vba_no_python", "vba_no_package")  # what QualityBook.bas says before Python runs
TEXTS_MARK = "'@QB_TEXTS"


def vba_string(text: str, per_line: int = 16) -> list[str]:
    """VBA statements building ``text`` in ``s``: ASCII as quoted text, other characters as ChrW(n), so the
    module's source stays ASCII whatever the code page of the VBA project (MS-OVBA 2.3.4.2)."""
    import re

    parts = []
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]", text):
        parts.append('"' + run.replace('"', '""') + '"' if run[0].isascii() and run != "\n" else
                     ("vbLf" if run == "\n" else f"ChrW({ord(run)})"))
    return [f"        s = s & {' & '.join(parts[i:i + per_line])}" for i in range(0, len(parts), per_line)]


def vba_texts() -> str:
    """The ``Case`` arms of QB_Text: each message in Chinese, then English (the box is read by either)."""
    from ..locale import text

    lines = []
    for key in VBA_TEXTS:
        lines.append(f'    Case "{key}"')
        lines += vba_string(text(key, "zh") + "\n" + text(key, "en"))
    return "\n".join(lines)


def own_modules() -> dict[str, str]:
    """Our VBA, kept as text in the repo, with its messages filled in from the locale."""
    return {p.stem: crlf(p.read_text(encoding="utf-8").replace(TEXTS_MARK, vba_texts()))
            for p in sorted(VBA_DIR.glob("*.bas"))}


def without_cache(project_bin: bytes) -> bytes:
    """The VBA project with its ``_VBA_PROJECT`` stream exactly ``NO_CACHE``: Office compiles from source."""
    cfb = CFB.from_bytes(project_bin)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", NO_CACHE)
    return cfb.to_bytes()


def write_project(src: Path, dst: Path, replace: dict[str, str] | None = None) -> None:
    """Give ``src`` a VBA project with every module; ``replace`` swaps a module's source (tests' stubs)."""
    sources = xlwings_modules()
    kinds = dict(XLWINGS_MODULES)
    sources.update(own_modules())
    sources.update(replace or {})
    with ExcelFile(src) as x:
        project = x.add_vba_project() if not x.has_vba_project() else x.vba_project()
        for name, code in sources.items():
            project.add_module(name, crlf(code), kind=kinds.get(name, VBAModuleKind.standard))
        x.save(dst)
    _strip_cache(dst)


def _strip_cache(path: Path) -> None:
    import zipfile

    from ..ooxml.package import normalise_zip

    with zipfile.ZipFile(path) as z:
        project = z.read("xl/vbaProject.bin")
    tmp = path.with_suffix(".nocache" + path.suffix)
    normalise_zip(path, tmp, replace={"xl/vbaProject.bin": without_cache(project)})
    tmp.replace(path)


def replace_modules(path: Path, dst: Path, replace: dict[str, str]) -> None:
    """A copy of a built workbook with some modules' code swapped (used by the LibreOffice tests)."""
    with ExcelFile(path) as x:
        for name, code in replace.items():
            x.set_module(name, crlf(code))
        x.save(dst)
    _strip_cache(dst)
