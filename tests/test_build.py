"""The committed workbook and templates are what the build makes; the ribbon and the registry agree."""
import re

from lxml import etree
from pyopenvba import ExcelFile

from conftest import ROOT, parts
from pyaddin.build import ribbon
from pyaddin.build.vba import xlwings_modules
from pyaddin.build.workbook import build_all
from pyaddin.ooxml.package import Package
from pyaddin.ooxml.tables import tables
from pyaddin.registry import ACTIONS
from pyaddin.schema import TABLES

COMMITTED = ["qualitybook.xlsm", "templates/qualitybook_en.xlsm", "templates/problem_list_zh.xlsx",
             "templates/problem_list_en.xlsx", "templates/root_cause_zh.xlsx", "templates/root_cause_en.xlsx",
             "templates/improvement_plan_zh.xlsx", "templates/improvement_plan_en.xlsx"]


def test_committed_artefacts_match_a_fresh_build(tmp_path):
    built = build_all(tmp_path)
    assert sorted(str(p.relative_to(tmp_path)) for p in built) == sorted(COMMITTED)
    for rel in COMMITTED:
        assert (tmp_path / rel).read_bytes() == (ROOT / rel).read_bytes(), f"{rel} differs: run scripts/build_workbook.py"


def test_every_table_is_a_named_excel_table_with_its_schema_headers():
    for path, lang in ((ROOT / "qualitybook.xlsm", "zh"), (ROOT / "templates/qualitybook_en.xlsm", "en")):
        with Package(path) as pkg:
            found = tables(pkg)
        for t in TABLES:
            assert found[t.name].columns == [f.label(lang) for f in t.fields]
            assert found[t.name].sheet == t.sheet(lang)


def test_ribbon_has_one_button_per_registered_action_and_nothing_else():
    p = parts(ROOT / "qualitybook.xlsm")
    assert b'Target="customUI/customUI14.xml"' in p["_rels/.rels"] and ribbon.REL_TYPE.encode() in p["_rels/.rels"]
    ui = etree.fromstring(p["customUI/customUI14.xml"])
    assert ui.tag == "{http://schemas.microsoft.com/office/2009/07/customui}customUI"
    buttons = ui.findall(".//{*}button")
    assert [b.get("tag") for b in buttons] == [a.name for a in ACTIONS.values() if a.ribbon]
    groups = [g.get("id") for g in ui.findall(".//{*}group")]
    assert groups == [f"qb_grp_{g}" for g in ("data", "analysis", "improvement", "departments", "appraisal", "reports")]
    for b in buttons:
        assert b.get("onAction") == "QB_OnAction" and b.get("imageMso") and b.get("label") and b.get("screentip")
    assert "计算KPI" in [b.get("label") for b in buttons]


def test_vba_holds_quality_book_and_the_pinned_xlwings_modules():
    with ExcelFile(ROOT / "qualitybook.xlsm") as x:
        names = x.module_names()
        assert {"QualityBook", "xlwings", "Dictionary"} <= set(names)
        for name, code in xlwings_modules().items():
            assert x.get_module(name) == code
        qb = x.get_module("QualityBook")
    assert "Public Sub RunAction(ByVal actionName As String)" in qb
    assert "RunFrozenPython exe" in qb and "RunPython \"import pyaddin.excel" in qb
    for callback in set(re.findall(r'onAction="(\w+)"', parts(ROOT / "qualitybook.xlsm")["customUI/customUI14.xml"].decode())):
        assert f"Public Sub {callback}(" in qb
    assert b"macroEnabled.main+xml" in parts(ROOT / "qualitybook.xlsm")["[Content_Types].xml"]


def test_standards_sheet_is_prefilled_with_the_domain_defaults(tmp_path):
    from pyaddin.book import FileBook
    from pyaddin.schema import STANDARDS

    with FileBook(ROOT / "qualitybook.xlsm") as b:
        d = b.read(STANDARDS).data
    targets = d[d["kind"] == "target"].set_index("key")["value"].to_dict()
    assert targets == {"first_response_sla_pct": 90, "resolution_sla_pct": 90, "fcr_pct": 75, "csat_pct": 85,
                       "nps": 30, "complaint_rate_pct": 5, "record_completeness_pct": 95, "qa_score_pct": 85,
                       "complaint_first_response_sla_pct": 95, "answer_rate_pct": 95, "service_level_pct": 80,
                       "abandon_rate_pct": 5, "asa_s": 30, "on_time_visit_pct": 95, "first_visit_fix_pct": 85,
                       "survey_response_pct": 20}
    bands = d[d["kind"] == "target"].set_index("key")["warning_band"].to_dict()
    assert bands["csat_pct"] == 5 and bands["asa_s"] == 3  # 10 % of the target for a time
    sla = d[d["kind"] == "sla_first_response"].set_index("key")["value"].to_dict()
    assert sla == {"urgent": 5, "high": 10, "normal": 10, "low": 30}
    res = d[d["kind"] == "sla_resolution"].set_index("key")["value"].to_dict()
    assert res == {"urgent": 4, "high": 24, "normal": 48, "low": 72}


def test_sample_exports_match_a_fresh_generation(tmp_path):
    import sample_data

    for p in sample_data.write_exports(tmp_path, sample_data.generate()):
        assert p.read_bytes() == (ROOT / "samples" / p.name).read_bytes(), p.name


def test_the_mapping_tables_offer_dropdowns_of_fields_and_values():
    import openpyxl

    wb = openpyxl.load_workbook(ROOT / "qualitybook.xlsm", keep_vba=True)
    ws = wb["字段映射"]
    rules = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert rules["A2"] == "_lists!$A$2:$A$200" and rules["C2"] == "_lists!$B$2:$B$200"
    assert rules["E2"] == "_lists!$C$2:$C$200" and rules["G2"] == "_lists!$D$2:$D$200"
    lists = wb["_lists"]
    assert lists.sheet_state == "hidden"
    column = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, 60) if lists.cell(r, c).value]
              for c in range(1, 5)}
    assert "工单数据" in column["tables"] and "首次响应时长(分钟)" in column["fields"]
    assert "渠道" in column["coded_fields"] and "社交媒体" in column["values"] and "是" in column["values"]


def test_templates_are_documents_a_team_can_use_without_the_add_in():
    import openpyxl

    for stem, sheets in (("problem_list", ["问题清单"]), ("root_cause", ["问题清单", "根因分析", "鱼骨图"]),
                         ("improvement_plan", ["问题清单", "改进计划"])):
        wb = openpyxl.load_workbook(ROOT / "templates" / f"{stem}_zh.xlsx")
        assert wb.sheetnames[0] == "填写说明" and wb.sheetnames[-1] == "示例-物流响应"
        assert all(s in wb.sheetnames for s in sheets)
        guide = wb["填写说明"]
        assert guide["A1"].value and sum(1 for r in guide.iter_rows(min_row=3) if r[0].value) >= 5
        problems = wb["问题清单"]
        assert problems["A1"].value == "服务质量问题清单" and problems["A4"].value == "问题编号"
        assert problems.page_setup.orientation == "landscape" and problems.print_title_rows == "$4:$4"
        kinds = {(dv.type, str(dv.sqref).split(":")[0][:1]) for dv in problems.data_validations.dataValidation}
        assert ("list", "C") in kinds and ("date", "K") in kinds and ("whole", "F") in kinds  # source, logged on, frequency
        example = wb["示例-物流响应"]
        text = " ".join(str(c.value) for row in example.iter_rows() for c in row if c.value)
        assert "物流" in text and "P001" in text
    plan = openpyxl.load_workbook(ROOT / "templates" / "improvement_plan_en.xlsx")
    assert plan.sheetnames == ["How to fill in", "Problems", "Plan", "Example - logistics"]
    deadline = [c.value for c in plan["Plan"][4]].index("Deadline")
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[deadline]
    assert any(dv.type == "date" and str(dv.sqref).startswith(letter) for dv in plan["Plan"].data_validations.dataValidation)
    assert "Add one agent" in " ".join(str(c.value) for r in plan["Example - logistics"].iter_rows() for c in r if c.value)
