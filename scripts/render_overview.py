"""Render the KPI总览 sheet of the demo workbook to ``docs/kpi_overview.png`` for the README.

LibreOffice prints the sheet (its own conditional formatting, its own fonts) to PDF, poppler's pdftoppm
turns its two pages into PNGs and Pillow crops each to what is drawn and puts the second under the first.  Run after ``make demo``:
    .venv/bin/python scripts/render_overview.py [out/qualitybook_demo.xlsm]
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyaddin import schema  # noqa: E402


def render(book: Path, target: Path) -> Path:
    with tempfile.TemporaryDirectory() as d:
        wb = openpyxl.load_workbook(book)
        keep = schema.KPI_CARDS.sheet("zh")
        for name in wb.sheetnames:
            if name != keep:
                del wb[name]
        sheet = Path(d) / "overview.xlsx"
        wb.save(sheet)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", d, str(sheet)], check=True,
                       capture_output=True, timeout=180)
        subprocess.run(["pdftoppm", "-r", "110", "-png", str(Path(d) / "overview.pdf"), str(Path(d) / "page")],
                       check=True)
        pages = []
        for png in sorted(Path(d).glob("page-*.png")):
            page = Image.open(png).convert("RGB")
            box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
            pages.append(page.crop((box[0] - 10, box[1] - 10, box[2] + 10, box[3] + 10)))
        both = Image.new("RGB", (max(p.width for p in pages), sum(p.height for p in pages)), "white")
        for i, page in enumerate(pages):
            both.paste(page, (0, sum(p.height for p in pages[:i])))
        target.parent.mkdir(parents=True, exist_ok=True)
        both.quantize(256).save(target, optimize=True)  # a palette: a third of the size, the same to the eye
    return target


if __name__ == "__main__":
    print(render(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "out" / "qualitybook_demo.xlsm"),
                 ROOT / "docs" / "kpi_overview.png"))
