"""Render the KPI总览 sheet of the demo workbook to ``docs/kpi_overview.png`` for the README.

LibreOffice prints the sheet (its own conditional formatting, its own fonts) to PDF, poppler's pdftoppm
turns the page into a PNG and Pillow crops it to what is drawn.  Run after ``make demo``:
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
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(Path(d) / "overview.pdf"),
                        str(Path(d) / "page")], check=True)
        page = Image.open(Path(d) / "page.png").convert("RGB")
        box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
        target.parent.mkdir(parents=True, exist_ok=True)
        page.crop((box[0] - 10, box[1] - 10, box[2] + 10, box[3] + 10)).save(target, optimize=True)
    return target


if __name__ == "__main__":
    print(render(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "out" / "qualitybook_demo.xlsm"),
                 ROOT / "docs" / "kpi_overview.png"))
