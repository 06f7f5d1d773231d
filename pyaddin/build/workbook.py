"""Build ``qualitybook.xlsm`` (and its English twin, and the stand-alone templates) from the schema.

openpyxl lays out the sheets, tables, formats and validation; pyOpenVBA writes the VBA
project; the ribbon part and its relationship are added last; and the zip is written
with fixed timestamps and part order, so that building twice gives identical bytes.
"""
from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo

from .. import schema
from ..locale import guide, metric_name, setting_name
from ..ooxml.package import normalise_zip
from ..ooxml.text import escape_book
from ..schema import BOOL_LABELS, Table
from . import dashboard, examples, ribbon, vba
from .templates import a4_landscape, list_choices, printed_list

LAST_ROW = 1048576
CONFIG_SHEET = "_xlwings.conf"  # inactive, as in xlwings' own template: rename to xlwings.conf to use it
CONTENT_XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CONTENT_XLSM = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CORE_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>QualityBook</dc:title>'
            b'<dc:creator>QualityBook</dc:creator></cp:coreProperties>')
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TITLE_FONT = Font(bold=True, size=14, color="1F4E78")

FURNITURE = {  # what a table's sheet carries beyond the table itself: charts, colour scales, a title
    schema.KPI_CARDS.name: dashboard.overview_cards,
    schema.KPI_PHONE.name: dashboard.card_row("phone", schema.PHONE_KEYS),
    schema.KPI_VISITS.name: dashboard.card_row("visits", schema.VISIT_KEYS),
    schema.KPI_BY_CHANNEL.name: dashboard.matrix_colours,
    schema.KPI_BY_DEPARTMENT.name: dashboard.matrix_colours,
    schema.KPI_AGENTS.name: dashboard.matrix_colours,
    schema.KPI_MONTHLY.name: dashboard.monthly_chart,
    schema.KPI.name: dashboard.status_header,
    schema.KPI_TREND.name: dashboard.trend_charts,
    schema.KPI_HEATMAP.name: dashboard.heatmap_colours,
    schema.PARETO.name: dashboard.pareto_chart,
    schema.PLAN.name: dashboard.overdue_rows,
    schema.CONTROL.name: dashboard.control_charts,
    schema.LOG.name: printed_list,
}
HOSTS = {t.place[0] for t in schema.TABLES if t.place}  # tables whose sheet holds others
SHEET_FURNITURE = {  # what a sheet carries once every table on it is laid out, by its host table: its printed pages
    schema.KPI_CARDS.name: dashboard.overview_pages,
}
BOOK_TABLES = schema.TABLES
TEMPLATES = {  # the stand-alone templates of the design card: file stem → tables
    "problem_list": ("tbl_problems",),
    "root_cause": ("tbl_problems", "tbl_rootcause"),
    "improvement_plan": ("tbl_problems", "tbl_plan"),
}


def standards_rows(lang: str) -> list[list]:
    """监控标准 prefilled with DOMAIN.md §4 (targets, SLA, settings) and §9 (weights, rules).

    Columns: kind, key, name, direction, value, 取值 (a setting that is not a number), warning band, note."""
    from .. import settings

    kinds = schema.STANDARD_KIND
    rows = []
    for metric, direction, target in schema.TARGET_DEFAULTS:
        rows.append([kinds.label("target", lang), metric, metric_name(metric, lang),
                     schema.DIRECTION.label(direction, lang), target, None, schema.warning_band(metric, target), None])
    for i, kind in enumerate(("sla_first_response", "sla_resolution")):
        for prio, targets in schema.SLA_DEFAULTS.items():
            rows.append([kinds.label(kind, lang), prio, setting_name(prio, lang), None, targets[i], None, None, None])
    for key, value in schema.SETTING_DEFAULTS:
        rows.append([kinds.label("setting", lang), key, setting_name(key, lang), None, value, None, None, None])
    for s in settings.TEXTS:  # settings that are not numbers: their 取值 in the workbook's language, or blank
        rows.append([kinds.label("setting", lang), s.key, setting_name(s.key, lang), None, None,
                     settings.default_shown(s, lang), None, None])
    for metric, weight in schema.AGENT_WEIGHT_DEFAULTS:
        rows.append([kinds.label("weight", lang), schema.AGENT_WEIGHT_PREFIX + metric,
                     f"{metric_name(metric, lang)}({setting_name('weight_agent', lang)})", None, weight, None, None,
                     None])
    for metric, weight in schema.WEIGHT_DEFAULTS:
        rows.append([kinds.label("weight", lang), metric,
                     f"{metric_name(metric, lang)}({setting_name('weight_department', lang)})", None, weight, None,
                     None, None])
    for grade, coefficient, zh, en in schema.CONSEQUENCE_DEFAULTS:
        rows.append([kinds.label("consequence", lang), grade, setting_name("grade_" + grade, lang), None, coefficient,
                     None, None, zh if lang == "zh" else en])
    return rows


def scorecard_rows(lang: str) -> list[list]:
    yes, no = BOOL_LABELS[lang]
    return [[None, zh if lang == "zh" else en, score, yes if critical else no, gz if lang == "zh" else ge]
            for zh, en, score, critical, gz, ge in schema.SCORECARD_DEFAULTS]


def monitor_plan_rows(lang: str) -> list[list]:
    rows = [[metric_name(m, lang), target, schema.FREQUENCY.label(freq, lang), None, None,
             schema.MONITOR_METHOD.label(method, lang), None, None, None, nz if lang == "zh" else ne]
            for m, target, freq, method, nz, ne in schema.MONITOR_PLAN_DEFAULTS]
    holiday = "国庆前一周投诉量翻倍:专项监控,每日通报" if lang == "zh" else "Complaints double the week before the holiday: daily"
    rows.append([metric_name("complaint_rate_pct", lang), 5, schema.FREQUENCY.label("daily", lang), None, None,
                 schema.MONITOR_METHOD.label("system", lang), None, dt.date(2026, 9, 24), dt.date(2026, 9, 30), holiday])
    return rows


def add_table_sheet(wb: openpyxl.Workbook, table: Table, lang: str, rows: list[list] | None = None,
                    top: int | None = None) -> None:
    if table.place:
        ws = wb[table.sheet(lang)]
        _, top, left = table.place
    else:
        ws = wb.create_sheet(table.sheet(lang))
        top, left = top or table.top, 0
    for i, f in enumerate(table.fields, start=1 + left):
        letter = get_column_letter(i)
        dim = ws.column_dimensions[letter]
        dim.width = f.width
        dim.hidden = f.hidden
        if f.number_format:
            dim.number_format = f.number_format
        cell = ws.cell(row=top, column=i, value=f.label(lang))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        choices = list_choices(f, lang) or (f"{LISTS_SHEET}!{LIST_RANGES[f.choices]}" if f.choices else None)
        if choices and table.role != "log":  # what the add-in records is not typed by hand: no dropdown
            dv = DataValidation(type="list", formula1=choices, allow_blank=True, showErrorMessage=True,
                                errorTitle="QualityBook", error=f"{f.zh} / {f.en}")
            dv.add(f"{letter}{top + 1}:{letter}{LAST_ROW}")
            ws.add_data_validation(dv)
    for r, row in enumerate(rows or [], start=top + 1):
        for c, v in enumerate(row, start=1 + left):
            ws.cell(row=r, column=c, value=v)
    last = top + max(len(rows or []), 1)
    if table.place or table.name in HOSTS:  # a sheet shared by tables: each body cell carries its table's format
        for i, f in enumerate(table.fields, start=1 + left):
            for r in range(top + 1, last + 1) if f.number_format else ():
                ws.cell(row=r, column=i).number_format = f.number_format
    ref = f"{get_column_letter(1 + left)}{top}:{get_column_letter(left + len(table.fields))}{last}"
    t = XlTable(displayName=table.name, ref=ref)
    t.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True)
    ws.add_table(t)
    if not table.place:
        ws.freeze_panes = f"A{top + 1}"
    ws.row_dimensions[top].height = 30
    furnish = FURNITURE.get(table.name)
    if furnish:
        furnish(ws, table, top, left, lang)


# The sheets in the order of the loop (DOMAIN.md §1–2), each stage with its tab colour
STAGES = (
    ("plan", "7030A0", ("tbl_monitor_plan", "tbl_standards", "tbl_scorecard", "tbl_staff", "tbl_responsibility",
                        "tbl_calendar")),
    ("collect", "2F75B5", ("tbl_tickets", "tbl_surveys", "tbl_inspections", "tbl_calls", "tbl_feedback", "tbl_audit",
                           "tbl_mapping", "tbl_rejects")),
    ("analyse", "548235", ("tbl_kpi_cards", "tbl_kpi", "tbl_pareto", "tbl_control")),
    ("improve", "C55A11", ("tbl_problems", "tbl_rootcause", "tbl_plan")),
    ("check", "BF8F00", ("tbl_dispatch",)),
    ("appraise", "C00000", ("tbl_appraisal", "tbl_highlights")),
    ("record", "7F7F7F", ("tbl_log",)),
)


def sheet_link(ws, row: int, col: int, sheet: str) -> None:
    """A cell that jumps to ``sheet`` (a location inside this workbook, quoted as Excel quotes sheet names)."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell = ws.cell(row=row, column=col, value=sheet)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet.replace(chr(39), chr(39) * 2)}'!A1")
    cell.style = "Hyperlink"


def order_by_stage(wb: openpyxl.Workbook, lang: str) -> None:
    """Sheets in the loop's order after the guide, tab colours per stage; sheets of no stage keep their place
    at the end (the hidden lists, the xlwings configuration)."""
    rank = {}
    for _, colour, names in STAGES:
        for name in names:
            if name in schema.BY_NAME:
                title = schema.BY_NAME[name].sheet(lang)
                if title in wb.sheetnames and title not in rank:
                    rank[title] = len(rank)
                    wb[title].sheet_properties.tabColor = colour
    first = wb.worksheets[0]
    wb._sheets.sort(key=lambda ws: (ws is not first, rank.get(ws.title, len(rank))))


def add_guide(wb: openpyxl.Workbook, lang: str) -> None:
    """The first sheet: what the loop is, what to do first with the ribbon's exact button names, a link to each
    sheet by stage, and every button with its tip."""
    from ..locale import LANGS, action_text, group_label
    from ..registry import ACTIONS

    more = LANGS[lang].GUIDE_MORE
    ws = wb.active
    ws.title = "使用说明" if lang == "zh" else "Guide"
    ws.sheet_properties.tabColor = "1F4E78"
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    a4_landscape(ws)  # printed one page wide: the stage beside its sheet, the button beside its tip
    rows = guide(lang)
    ws.cell(row=1, column=1, value=rows[0][0]).font = TITLE_FONT
    button = {a.name: f"{group_label(a.group, lang)} › {action_text(a.name, lang)[0]}" for a in ACTIONS.values()}
    ws.cell(row=3, column=1, value=more["first"]).font = Font(bold=True, color="C00000")
    first = ws.cell(row=3, column=2, value=more["first_steps"].format(**{k: f"“{v}”" for k, v in button.items()}))
    first.alignment = Alignment(wrap_text=True, vertical="top")
    r = 5
    for title, body in rows[1:]:
        ws.cell(row=r, column=1, value=title).font = Font(bold=True)
        c = ws.cell(row=r, column=2, value=body)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    r += 1
    ws.cell(row=r, column=1, value=more["sheets"]).font = Font(bold=True)
    for stage, colour, names in STAGES:
        for name in names:
            title = schema.BY_NAME[name].sheet(lang)
            if title in wb.sheetnames:
                r += 1
                ws.cell(row=r, column=1, value=more["stages"][stage]).font = Font(bold=True, color=colour)
                sheet_link(ws, r, 2, title)
    r += 2
    ws.cell(row=r, column=1, value=more["buttons"].format(tab=LANGS[lang].TAB)).font = Font(bold=True)
    for a in ACTIONS.values():
        r += 1
        label, tip = action_text(a.name, lang)
        ws.cell(row=r, column=1, value=button[a.name])
        ws.cell(row=r, column=2, value=tip).alignment = Alignment(wrap_text=True)


def add_config_sheet(wb: openpyxl.Workbook) -> None:
    """xlwings' configuration sheet, shipped inactive (``_xlwings.conf``) as xlwings' own template does, so
    that it never overrides a user's own xlwings settings; plus the QualityBook executable path, which
    our VBA reads from either name."""
    ws = wb.create_sheet(CONFIG_SHEET)
    for k, v in (("Interpreter_Win", "python"), ("Interpreter_Mac", None), ("PYTHONPATH", None),
                 ("Conda Path", None), ("Conda Env", None), ("UDF Modules", None), ("Debug UDFs", False),
                 ("Use UDF Server", False), ("Show Console", False), ("QualityBook Executable", None)):
        ws.append([k, v])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 60


def fixed_card_rows(table, keys: tuple[str, ...]):
    """A card table's fixed rows (the headline cards, the phone line's, the visits'), one per indicator: the tables
    below must not be pushed down."""
    return lambda lang: [[metric_name(m, lang)] + [None] * (len(table.fields) - 1) for m in keys]


def channel_rows(lang: str) -> list[list]:
    return [[label] + [None] * (len(schema.KPI_BY_CHANNEL.fields) - 1) for label in schema.CHANNEL.labels(lang)]


def agent_rows(lang: str) -> list[list]:
    """The best and worst agents' fixed rows (the KPI action fills them, blank when fewer agents qualify)."""
    return [[None] * len(schema.KPI_AGENTS.fields) for _ in range(2 * schema.TOP_AGENTS)]


def heatmap_rows(lang: str) -> list[list]:
    """The heat map's 24 hours, fixed: the agents below it must not be pushed down."""
    return [[hour] + [None] * (len(schema.KPI_HEATMAP.fields) - 1) for hour in range(24)]


def month_rows(lang: str) -> list[list]:
    return [[None] * len(schema.KPI_MONTHLY.fields) for _ in range(schema.MONTHS)]


def calendar_rows(lang: str) -> list[list]:
    """工作日历 prefilled with the coming year's national holidays and 调休 days, as an example the team edits."""
    kind = schema.CALENDAR_KIND
    return [[day, kind.label(k, lang), zh if lang == "zh" else en] for day, k, zh, en in examples.calendar_days()]


PREFILLED = {"tbl_kpi_monthly": month_rows, "tbl_standards": standards_rows, "tbl_calendar": calendar_rows,
             "tbl_scorecard": scorecard_rows, "tbl_monitor_plan": monitor_plan_rows, "tbl_kpi_cards": fixed_card_rows(schema.KPI_CARDS, schema.HEADLINE_KEYS), "tbl_kpi_phone": fixed_card_rows(schema.KPI_PHONE, schema.PHONE_KEYS),
             "tbl_kpi_visits": fixed_card_rows(schema.KPI_VISITS, schema.VISIT_KEYS),
             "tbl_kpi_channel": channel_rows, "tbl_kpi_agents": agent_rows, "tbl_kpi_heatmap": heatmap_rows}
LISTS_SHEET = "_lists"
LIST_COLUMNS = ("tables", "fields", "coded_fields", "values")
LIST_RANGES = {name: f"${get_column_letter(i + 1)}$2:${get_column_letter(i + 1)}$200" for i, name in enumerate(LIST_COLUMNS)}


def add_lists_sheet(wb: openpyxl.Workbook, lang: str) -> None:
    """A hidden sheet holding the dropdowns' lists (a list typed into a validation is limited to 255 characters)."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    for i, name in enumerate(LIST_COLUMNS, start=1):
        ws.cell(row=1, column=i, value=name)
        for r, v in enumerate(schema.dropdown_lists(lang)[name], start=2):
            ws.cell(row=r, column=i, value=v)


def layout(lang: str, tables: tuple[Table, ...] = BOOK_TABLES, *, guide_sheet: bool = True,
           config_sheet: bool = True) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    if guide_sheet:
        wb.active.title = "使用说明" if lang == "zh" else "Guide"  # written last, when every sheet is there
    else:
        wb.remove(wb.active)
    for t in tables:
        add_table_sheet(wb, t, lang, PREFILLED[t.name](lang) if t.name in PREFILLED else None)
    for t in tables:
        if t.name in SHEET_FURNITURE:
            SHEET_FURNITURE[t.name](wb[t.sheet(lang)], lang)
    if any(f.choices for t in tables for f in t.fields):
        add_lists_sheet(wb, lang)
    if config_sheet:
        add_config_sheet(wb)
    if guide_sheet:
        order_by_stage(wb, lang)
        add_guide(wb, lang)
    return wb


def finish(tmp: Path, target: Path, *, macro: bool, ribbon_lang: str | None) -> None:
    """Fixed metadata, macro-enabled content type, ribbon part and relationship; reproducible zip."""
    with zipfile.ZipFile(tmp) as z:
        types = z.read("[Content_Types].xml")
        rels = z.read("_rels/.rels")
    replace = {"docProps/core.xml": CORE_XML}
    if macro:
        types = types.replace(CONTENT_XLSX, CONTENT_XLSM)
    if ribbon_lang:
        replace[ribbon.PART] = ribbon.ribbon_xml(ribbon_lang)
        rel = f'<Relationship Id="rIdQBRibbon" Type="{ribbon.REL_TYPE}" Target="{ribbon.PART}"/>'.encode()
        rels = rels.replace(b"</Relationships>", rel + b"</Relationships>")
    replace["[Content_Types].xml"] = types
    replace["_rels/.rels"] = rels
    normalise_zip(tmp, target, replace=replace)


def build_book(target: str | Path, lang: str = "zh",
               customise: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """The full macro-enabled workbook.  ``customise`` lets tests add what a user would (sheets, charts)."""
    target = Path(target)
    wb = layout(lang)
    if customise:
        customise(wb)
    with tempfile.TemporaryDirectory() as d:
        plain, with_vba = Path(d) / "plain.xlsm", Path(d) / "vba.xlsm"
        escape_book(wb)
        wb.save(plain)
        vba.write_project(plain, with_vba)
        finish(with_vba, target, macro=True, ribbon_lang=lang)
    return target


def build_template(target: str | Path, table_names: tuple[str, ...], lang: str = "zh") -> Path:
    """A stand-alone macro-free template holding a few tables (problem list, root cause, plan): see ``templates``."""
    from . import templates as tpl

    target = Path(target)
    stem = target.stem.rsplit("_", 1)[0]
    tables = tuple(schema.BY_NAME[n] for n in table_names)
    wb = openpyxl.Workbook()
    tpl.instructions(wb, stem, lang)
    for t in tables:
        add_table_sheet(wb, t, lang, top=tpl.TOP)
        ws = wb[t.sheet(lang)]
        tpl.headline(ws, t, lang)
        tpl.strict_validation(ws, t, tpl.TOP, lang)
    if "tbl_rootcause" in table_names:
        tpl.fishbone_layout(wb, lang)
    tpl.example_sheet(wb, tables, lang)
    with tempfile.TemporaryDirectory() as d:
        plain = Path(d) / "plain.xlsx"
        escape_book(wb)
        wb.save(plain)
        finish(plain, target, macro=False, ribbon_lang=None)
    return target


def build_all(root: str | Path) -> list[Path]:
    """Everything scripts/build_workbook.py commits: the workbook, its English twin, the templates."""
    root = Path(root)
    (root / "templates").mkdir(parents=True, exist_ok=True)
    out = [build_book(root / "qualitybook.xlsm", "zh"), build_book(root / "templates" / "qualitybook_en.xlsm", "en")]
    for stem, names in TEMPLATES.items():
        for lang in ("zh", "en"):
            out.append(build_template(root / "templates" / f"{stem}_{lang}.xlsx", names, lang))
    return out
