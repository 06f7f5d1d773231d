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


def libreoffice(*args: str, timeout: int = 240):
    """Run tests/lo_driver.py under the system python (UNO); fail loudly when LibreOffice is absent."""
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0 or shutil.which("soffice") is None:
        pytest.fail("LibreOffice with python3-uno is required (apt-get install libreoffice-calc-nogui python3-uno); "
                    ".ci/run installs it")
    out = subprocess.run([SYSTEM_PYTHON, str(ROOT / "tests" / "lo_driver.py"), *map(str, args)],
                         capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])
