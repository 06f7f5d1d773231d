"""What real Excel would show (issue 20): every file the demo writes passes an OOXML schema validator and the
rules a schema cannot see (formulas without '=', axes not deleted, conditional formats over the cells they
colour, sheet names Excel accepts); text that looks like an escape comes back as typed."""
import re
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest
from lxml import etree

from conftest import ROOT
from pyaddin import schema
from pyaddin.ooxml.sheetdata import split_ref
from pyaddin.ooxml.text import escape_book, sheet_title, shown_text

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
AXES = ("catAx", "valAx", "dateAx", "serAx")


def allowed(e) -> bool:
    """Findings of openxml-audit that are not faults: the schema makes a font's children a choice (CT_Font is an
    xsd:choice maxOccurs=unbounded), so their order is free; inline strings are valid SpreadsheetML (Excel merely
    moves them to the shared-string table when it saves)."""
    font_order = e.part_uri == "/xl/styles.xml" and "/font[" in e.path and e.description.startswith("Unexpected element")
    return font_order or "inline-string cell" in e.description


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    r = subprocess.run(["make", "-s", "-o", ".venv/.installed", "demo", f"OUT={out}"], cwd=ROOT,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    files = sorted(p for p in out.rglob("*") if p.suffix in (".xlsx", ".xlsm") and p.is_file()  # not the caches
                   and ".qualitybook" not in p.parts)
    # the book, the report, the appraisal, the departments' workbooks sent and returned
    assert len(files) >= 6 and {p.name for p in files} >= {"qualitybook_demo.xlsm", "report_2026-09.xlsx"}
    return files


def test_every_file_the_demo_writes_passes_the_schema_validator(demo_files):
    from openxml_audit import OpenXmlValidator

    v = OpenXmlValidator()
    found = {p.name: [str(e) for e in v.validate(str(p)).errors if not allowed(e)] for p in demo_files}
    assert all(not errs for errs in found.values()), found


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".xml")}


def test_formulas_are_stored_without_a_leading_equals_sign(demo_files):
    for p in demo_files:
        for name, xml in parts(p).items():
            if name.startswith("xl/worksheets/"):
                root = etree.fromstring(xml)
                for tag in ("formula1", "formula2", "formula"):
                    bad = [f.text for f in root.iter(M + tag) if (f.text or "").startswith("=")]
                    assert not bad, (p.name, name, bad)


def test_every_chart_axis_is_written_as_shown(demo_files):
    seen = 0
    for p in demo_files:
        for name, xml in parts(p).items():
            if name.startswith("xl/charts/chart"):
                for ax in etree.fromstring(xml).iter(*(C + a for a in AXES)):
                    seen += 1
                    delete = ax.find(C + "delete")
                    assert delete is not None and delete.get("val") in ("0", "false"), (p.name, name)
    assert seen >= 10  # the trend, Pareto and control charts of the book, the report's charts


def test_conditional_formats_cover_only_the_table_rows_they_colour(demo_files):
    book = next(p for p in demo_files if p.name == "qualitybook_demo.xlsm")
    wb = openpyxl.load_workbook(book, keep_vba=True)
    checked = 0
    for ws in wb.worksheets:
        bodies = []
        for t in ws.tables.values():
            c1, r1, c2, r2 = split_ref(t.ref)
            bodies.append((c1, r1 + 1, c2, r2))
        for cf in ws.conditional_formatting:
            for ref in str(cf.sqref).split():
                a, r1, b, r2 = split_ref(ref)
                assert r2 < 1048576, (ws.title, ref)
                touching = [t for t in bodies if not (b < t[0] or a > t[2] or r2 < t[1] - 1 or r1 > t[3])]
                assert touching and all(t[0] <= a and b <= t[2] and t[1] <= r1 and r2 <= t[3] for t in touching), \
                    (ws.title, ref, touching)
                checked += 1
    assert checked >= 15
    ov = wb["KPI总览"]  # the channel matrix's colours stop at its last channel
    channel = split_ref(ov.tables["tbl_kpi_channel"].ref)
    dept = split_ref(ov.tables["tbl_kpi_department"].ref)
    rules = [split_ref(r) for cf in ov.conditional_formatting for r in str(cf.sqref).split()]
    # (the department matrix below it, in the same columns, has rules of its own)
    assert max(r[3] for r in rules if channel[0] < r[0] <= channel[2] and r[1] <= channel[3]) == channel[3]
    assert any(dept[0] < r[0] <= dept[2] and r[3] == dept[3] > dept[1] + 1 for r in rules)  # stretched to the departments


def test_sheet_names_are_ones_excel_accepts(demo_files):
    for p in demo_files:
        names = [s.get("name") for s in etree.fromstring(parts(p)["xl/workbook.xml"]).iter(M + "sheet")]
        assert len({n.casefold() for n in names}) == len(names), (p.name, names)
        for n in names:
            assert 0 < len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) and n[0] != "'" and n[-1] != "'", (p.name, n)


def test_a_user_supplied_sheet_name_is_made_acceptable_and_unique():
    taken = ["汇总"]
    names = []
    for raw in ("'华东/华南:客服[一部]'", "A" * 40, "A" * 40, "汇总", "   ", "a" * 40):
        names.append(sheet_title(raw, taken + names))
    assert names[0] == "华东_华南_客服_一部_"
    assert names[1] == "A" * 31 and names[2] == "A" * 27 + " (2)" and names[3] == "汇总 (2)" and names[4] == "_"
    assert names[5] == "a" * 27 + " (3)"  # unique ignoring case, as Excel compares
    assert all(len(n) <= 31 for n in names)


def test_text_that_looks_like_an_escape_comes_back_as_typed(book, runner, cli, tmp_path):
    """Through the streamed writer (import) and fastexcel, and through an openpyxl writer and Excel's decoding."""
    from pyaddin.book import FileBook

    csv = tmp_path / "t.csv"
    pd.DataFrame({"工单编号": ["T1", "T2"], "创建时间": ["2026-09-01 09:00", "2026-09-01 10:00"],
                  "渠道": ["电话", "电话"], "责任部门": ["客服中心", "客服中心"], "备注": ["_x0020_", "a_x005F_b"]}).to_csv(csv, index=False)
    r = runner.invoke(cli, ["import", str(book), str(csv), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(book) as z:
        sheet = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert b">_x005F_x0020_<" in sheet and b">a_x005F_x005F_b<" in sheet
    with FileBook(book) as b:
        notes = list(b.read(schema.TICKETS).data["resolution_note"])
    assert "_x0020_" in notes and "a_x005F_b" in notes

    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["A2"], wb.active["A3"] = "_x0020_", "=_x0041_", "plain"
    wb.active["A2"].data_type = "s"
    escape_book(wb)
    wb.save(tmp_path / "o.xlsx")
    stored = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    assert [shown_text(stored[c].value) for c in ("A1", "A2", "A3")] == ["_x0020_", "=_x0041_", "plain"]
    assert stored["A2"].data_type == "s"
