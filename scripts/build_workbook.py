"""Build the committed artefacts: qualitybook.xlsm, templates/qualitybook_en.xlsm and the templates.

    python scripts/build_workbook.py [ROOT]

tests/test_build.py builds them afresh and fails when a committed file differs.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyaddin.build.workbook import build_all  # noqa: E402

if __name__ == "__main__":
    for path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT):
        print(path)
