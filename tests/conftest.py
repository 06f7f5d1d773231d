import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

SYSTEM_PYTHON = "/usr/bin/python3"  # LibreOffice's UNO bridge lives in Debian's python3-uno


@pytest.fixture(autouse=True)
def fresh_language():
    """Each test starts as a new process would: no --lang chosen, no workbook opened yet."""
    from pyaddin.locale import choose, follow_book

    choose(None)
    follow_book(None)


@pytest.fixture
def book(tmp_path) -> Path:
    """A fresh copy of the committed workbook."""
    p = tmp_path / "book.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", p)
    return p


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli():
    from pyaddin.cli.main import cli as group

    return group


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_csv(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def sample_book(target: Path, *commands: list[str]) -> Path:
    """The committed workbook at ``target`` with the bundled sample exports imported, then ``commands`` run on it
    (each a command and its options, the book's path put after the command)."""
    from pyaddin.cli.main import cli

    shutil.copy(ROOT / "qualitybook.xlsm", target)
    r = CliRunner()
    for name, into in (("tickets.csv", "tickets"), ("surveys.csv", "surveys"), ("inspections.xlsx", "inspections")):
        res = r.invoke(cli, ["import", str(target), str(ROOT / "samples" / name), "--into", into])
        assert res.exit_code == 0, res.output
    for command, *options in commands:
        res = r.invoke(cli, [command, str(target), *options])
        assert res.exit_code == 0, res.output
    return target


def libreoffice(*args: str, timeout: int = 240, env: dict | None = None):
    """Run tests/lo_driver.py under the system python (UNO); fail loudly when LibreOffice is absent."""
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0 or shutil.which("soffice") is None:
        pytest.fail("LibreOffice with python3-uno is required (apt-get install libreoffice-calc-nogui python3-uno); "
                    ".ci/run installs it")
    out = subprocess.run([SYSTEM_PYTHON, str(ROOT / "tests" / "lo_driver.py"), *map(str, args)],
                         capture_output=True, text=True, timeout=timeout, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _note_column() -> str:
    """Two columns right of the tickets table, however many fields it has."""
    from openpyxl.utils import get_column_letter

    from pyaddin.schema import TICKETS

    return get_column_letter(len(TICKETS.fields) + 3)


NOTE_COLUMN = _note_column()


def user_book(tmp_path):
    """Our workbook with what a user adds by hand: a sheet, a chart, an image, a name, and notes beside
    and below the tickets table."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.drawing.image import Image
    from openpyxl.workbook.defined_name import DefinedName
    from PIL import Image as PILImage

    png = tmp_path / "logo.png"
    PILImage.new("RGB", (4, 4), "red").save(png)

    def customise(wb: openpyxl.Workbook):
        ws = wb.create_sheet("我的分析")
        for row in (["月份", "投诉"], ["7月", 12], ["8月", 9], ["9月", 15]):
            ws.append(row)
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=4), titles_from_data=True)
        ws.add_chart(chart, "D2")
        ws.add_image(Image(str(png)), "D20")
        wb.defined_names["投诉合计"] = DefinedName("投诉合计", attr_text="'我的分析'!$B$2:$B$4")
        t = wb["工单数据"]
        t[f"{NOTE_COLUMN}2"] = "备注:本表由客服中心维护"
        t[f"{NOTE_COLUMN}3"] = 42
        t["A3"] = "合计"
        t["B3"] = "=SUBTOTAL(103,tbl_tickets[工单编号])"

    from pyaddin.build.workbook import build_book

    return build_book(tmp_path / "user.xlsm", "zh", customise)
