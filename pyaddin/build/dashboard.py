"""The KPI dashboard's fixed furniture: heat-map colour scales and the weekly trend line charts.

Charts are native Excel line charts over the trend table; the KPI action stretches their
ranges to the weeks it wrote (``ooxml.tables.retarget_charts``).
"""
from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter

from ..charts.axes import show_axes
from ..locale import LANGS


def body_rows(ws, table) -> tuple[int, int]:
    """The first and last data row of ``table`` as laid out: conditional formats cover these rows only, and the
    file layer stretches them as the table grows (``ooxml.tables.fit_formats``)."""
    from openpyxl.utils.cell import range_boundaries

    _, top, _, last = range_boundaries(ws.tables[table.name].ref)
    return top + 1, last

GREY, BETTER, WORSE = "808080", "00B050", "C00000"
SMALL_FORMAT_ID, ARROW_FORMAT_ID, DIRECTION_FORMAT_ID = 300, 301, 303  # number formats of conditional styles (custom ids start at 164)
STATUS_FILLS = {"met": ("C6EFCE", "006100"), "warning": ("FFEB9C", "9C5700"), "missed": ("FFC7CE", "9C0006")}
TITLE_FONT = Font(bold=True, size=14, color="1F4E78")


def status_header(ws, table, top: int, left: int, lang: str, title: str | None = None) -> None:
    """The sheet's title, and the status column coloured 达标 / 预警 / 未达标."""
    ws.cell(row=1, column=1, value=title or LANGS[lang].DASHBOARD_TITLE).font = TITLE_FONT
    status_colours(ws, table, lang, left)


def status_colours(ws, table, lang: str, left: int = 0) -> None:
    """The status column coloured 达标 / 预警 / 未达标."""
    status_col = get_column_letter(left + table.keys.index("status") + 1)
    first, last = body_rows(ws, table)
    for status, (bg, fg) in STATUS_FILLS.items():
        ws.conditional_formatting.add(
            f"{status_col}{first}:{status_col}{last}",
            CellIsRule(operator="equal", formula=[f'"{LANGS[lang].STATUS[status]}"'],
                       fill=PatternFill("solid", bgColor=bg), font=Font(color=fg)))


def change_arrows(ws, table, top: int, left: int, keys=None) -> None:
    """The change against the previous period as ▲/▼, green when better and red when worse by the indicator's
    direction (DOMAIN.md §4), not as a bare signed number.  ``keys``: the indicators of the rows, in order."""
    from .. import schema

    col = get_column_letter(left + table.keys.index("change") + 1)
    target = get_column_letter(left + table.keys.index("target") + 1)
    band = get_column_letter(left + table.keys.index("band") + 1)
    directions = {m: d for m, d, _ in schema.TARGET_DEFAULTS}
    for i, metric in enumerate(keys or schema.HEADLINE_KEYS):
        cell = f"{col}{top + 1 + i}"  # a time without a target (AHT) is still better when shorter (DOMAIN.md §4)
        ge = directions.get(metric, "le" if metric.endswith(("_s", "_min", "_h")) else "ge") == "ge"
        up, down = (BETTER, WORSE) if ge else (WORSE, BETTER)
        for ref, fmt_id, fmt in ((f"{target}{top + 1 + i}", DIRECTION_FORMAT_ID + (0 if ge else 1),
                                  '"≥ "0.0' if ge else '"≤ "0.0'),
                                 (f"{band}{top + 1 + i}", DIRECTION_FORMAT_ID + (2 if ge else 3),
                                  '"− "0.0' if ge else '"+ "0.0')):  # the target and on which side it warns
            ws.conditional_formatting.add(ref, Rule(type="expression", formula=[f"ISNUMBER({ref})"],
                                                    dxf=DifferentialStyle(numFmt=NumberFormat(fmt_id, fmt))))
        for test, colour, fmt_id, fmt in ((">0", up, ARROW_FORMAT_ID, '"▲ "0.0'),
                                          ("<0", down, ARROW_FORMAT_ID + 1, '"▼ "0.0;"▼ "0.0')):
            ws.conditional_formatting.add(cell, Rule(type="expression", formula=[f"AND(ISNUMBER({cell}),{cell}{test})"],
                                                     dxf=DifferentialStyle(font=Font(color=colour),
                                                                           numFmt=NumberFormat(fmt_id, fmt))))


def overview_cards(ws, table, top: int, left: int, lang: str) -> None:
    """The overview's title, coloured status and change arrows (its pages: ``overview_pages``)."""
    status_header(ws, table, top, left, lang, LANGS[lang].OVERVIEW_TITLE)
    change_arrows(ws, table, top, left)


def card_row(title: str, keys: tuple[str, ...]):
    """The furniture of a card row under the headline cards (the phone line's, the visits'): its title above it
    (the KPI action adds the counts), coloured status and change arrows by each indicator's direction (rates of
    abandon and times: lower is better)."""
    def furnish(ws, table, top: int, left: int, lang: str) -> None:
        ws.cell(row=top - 1, column=left + 1, value=LANGS[lang].DASHBOARD[title]).font = BLOCK_TITLE_FONT
        status_colours(ws, table, lang, left)
        change_arrows(ws, table, top, left, keys)
    return furnish


BLOCK_TITLE_FONT = Font(bold=True, color="1F4E78")
PRINT_SCALE = 73  # 11-point text prints at 8.03 points, the smallest a manager reads on paper
NARROW_RATE = 9  # a rate column's width on the overview: its header wraps on two lines, "样本不足" still fits
PRINTED_DEPARTMENTS = 100  # the department matrix prints whole up to so many departments
GUTTER = 1  # the thin column between the heat map and its charts
CHART_COLUMNS = (7,) * 6  # page two's chart column, right of the heat map: its charts stretch with these cells


def overview_pages(ws, lang: str) -> None:
    """The overview on two A4-landscape pages at a readable scale (DOMAIN.md §2's dashboard, printed), each a print
    range of its own: page one the period's figures (A1 down to the departments), page two from the heat map (its
    agents and charts beside and below it).  Run once every table of the sheet is laid out: a column's width is the
    widest any of its tables needs, rates narrowed to ``NARROW_RATE``.  The tables the charts draw from are not
    printed."""
    from .. import schema

    tables = [t for t in schema.TABLES if t is schema.KPI_CARDS or (t.place and t.place[0] == schema.KPI_CARDS.name)]
    widths: dict[int, float] = {}
    for t in tables:
        left = t.place[2] if t.place else 0
        for i, f in enumerate(t.fields, start=left + 1):
            widths[i] = max(widths.get(i, 0), min(f.width, NARROW_RATE) if f.type == "percent" else f.width)
    chart_left, top, _ = chart_region()
    widths.update(enumerate(CHART_COLUMNS, start=chart_left + 1))
    widths[chart_left] = GUTTER  # between the heat map and the charts
    for i, w in widths.items():
        ws.column_dimensions[get_column_letter(i)].width = w
    if lang == "zh":  # the card rows' headers are short: one line each, and the rows stay as tall as the rest
        for t in (schema.KPI_CARDS, schema.KPI_PHONE, schema.KPI_VISITS):
            ws.row_dimensions[t.place[1] if t.place else t.top].height = None
    else:  # English headers of narrow columns ("Mon 1st-resp %") take three lines
        for t in (schema.KPI_HEATMAP, schema.KPI_AGENTS):  # on the second page, which has the room
            ws.row_dimensions[t.place[1]].height = 45
    _, heat_top, heat_left = schema.KPI_HEATMAP.place
    ws.cell(row=heat_top - 2, column=heat_left + 1, value=LANGS[lang].DASHBOARD["page_two"]).font = TITLE_FONT
    _, agents_top, agents_left = schema.KPI_AGENTS.place
    ws.cell(row=agents_top - 1, column=agents_left + 1,
            value=LANGS[lang].DASHBOARD["agents_title"].format(n=schema.MIN_SAMPLE)).font = BLOCK_TITLE_FONT
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.scale = PRINT_SCALE
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = 0.2
    ws.page_margins.top = ws.page_margins.bottom = 0.45
    ws.page_margins.header = ws.page_margins.footer = 0.2
    # page one down to as many departments as PRINTED_DEPARTMENTS (a page with nothing on it is not printed);
    # page two from its title to the last chart
    last = get_column_letter(len(schema.KPI_BY_DEPARTMENT.fields))
    page_one = f"A1:{last}{schema.KPI_BY_DEPARTMENT.place[1] + PRINTED_DEPARTMENTS}"
    page_two = (f"{get_column_letter(heat_left + 1)}{heat_top - 2}:"
                f"{get_column_letter(chart_left + len(CHART_COLUMNS))}{top + MONTHLY_ROWS[1]}")
    ws.print_area = [page_one, page_two]
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&A  &P / &N"


WEEKLY_ROWS, VOLUME_ROWS, MONTHLY_ROWS = (0, 13), (13, 26), (26, 42)  # page two's charts, rows from the heat map's top


def chart_region() -> tuple[int, int, int]:
    """Page two's chart column: (first column 0-based, first row, last column 0-based), a gutter right of the heat
    map, from its header row down."""
    from .. import schema

    _, top, left = schema.KPI_HEATMAP.place
    first = left + len(schema.KPI_HEATMAP.fields) + 1
    return first, top, first + len(CHART_COLUMNS) - 1


def in_chart_region(ws, chart, rows: tuple[int, int]) -> None:
    """The chart over the chart column's cells ``rows`` (from the heat map's top), anchored to them at both corners
    so it stays inside its printed page whatever width a spreadsheet gives a column."""
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor

    first, top, last = chart_region()
    chart.anchor = TwoCellAnchor(_from=AnchorMarker(col=first, row=top - 1 + rows[0]),
                                 to=AnchorMarker(col=last + 1, row=top - 1 + rows[1]))
    ws.add_chart(chart)


def matrix_colours(ws, table, top: int, left: int, lang: str) -> None:
    """Each indicator cell coloured against the target and band on its card row (the cards list the indicators
    in ``schema.HEADLINE_KEYS`` order), so a changed target in 监控标准 recolours after the next calculation;
    a blank (no data) stays uncoloured.  The direction is the default one of DOMAIN.md §4."""
    from openpyxl.formatting.rule import FormulaRule

    from .. import schema

    cards = schema.KPI_CARDS
    target_col = get_column_letter(cards.keys.index("target") + 1)
    band_col = get_column_letter(cards.keys.index("band") + 1)
    directions = {m: d for m, d, _ in schema.TARGET_DEFAULTS}
    _, last = body_rows(ws, table)
    for i, metric in enumerate(schema.HEADLINE_KEYS):
        if metric not in table.keys:  # the agents' table shows some of them
            continue
        col = get_column_letter(left + table.keys.index(metric) + 1)
        cell, row = f"{col}{top + 1}", cards.top + 1 + i
        sample = schema.SAMPLE_OF.get(metric, "tickets")
        if sample in table.keys:  # too few behind it: greyed as 样本不足, never coloured met or missed
            n = f"${get_column_letter(left + table.keys.index(sample) + 1)}{top + 1}"
            ws.conditional_formatting.add(f"{col}{top + 1}:{col}{last}", Rule(
                type="expression", stopIfTrue=True, formula=[f"AND(ISNUMBER({cell}),{n}<{schema.MIN_SAMPLE})"],
                dxf=DifferentialStyle(font=Font(color=GREY, italic=True),
                                      numFmt=NumberFormat(SMALL_FORMAT_ID, f'"{LANGS[lang].DASHBOARD["small"]}"'))))
        target, band = f"${target_col}${row}", f"${band_col}${row}"
        ge = directions.get(metric, "ge") == "ge"
        met = f"{cell}>={target}" if ge else f"{cell}<={target}"
        warn = f"{cell}>={target}-{band}" if ge else f"{cell}<={target}+{band}"
        for status, test in (("met", met), ("warning", warn), ("missed", "TRUE")):
            bg, fg = STATUS_FILLS[status]
            ws.conditional_formatting.add(
                f"{col}{top + 1}:{col}{last}",
                FormulaRule(formula=[f"AND(ISNUMBER({cell}),ISNUMBER({target}),{test})"],
                            fill=PatternFill("solid", bgColor=bg), font=Font(color=fg), stopIfTrue=True))


def heatmap_colours(ws, table, top: int, left: int, lang: str) -> None:
    first, last = top + 1, top + 24
    vol = f"{get_column_letter(left + 2)}{first}:{get_column_letter(left + 8)}{last}"
    sla = f"{get_column_letter(left + 9)}{first}:{get_column_letter(left + 15)}{last}"
    ws.conditional_formatting.add(vol, ColorScaleRule(start_type="min", start_color="FFFFFF",
                                                      end_type="max", end_color="2F75B5"))
    ws.conditional_formatting.add(sla, ColorScaleRule(start_type="num", start_value=50, start_color="F8696B",
                                                      mid_type="num", mid_value=85, mid_color="FFEB84",
                                                      end_type="num", end_value=100, end_color="63BE7B"))


def trend_charts(ws, table, top: int, left: int, lang: str) -> None:
    words = LANGS[lang].DASHBOARD
    cats = Reference(ws, min_col=left + 1, min_row=top + 1, max_row=top + 1)
    rates = LineChart()
    rates.title, rates.y_axis.title, rates.height, rates.width = words["trend_rates"], "%", 6.5, 14
    rates.add_data(Reference(ws, min_col=left + 2, max_col=left + 6, min_row=top, max_row=top + 1),
                   titles_from_data=True)
    rates.set_categories(cats)
    volume = LineChart()
    volume.title, volume.height, volume.width = words["trend_volume"], 6.5, 14
    volume.add_data(Reference(ws, min_col=left + 7, min_row=top, max_row=top + 1), titles_from_data=True)
    volume.set_categories(cats)
    for s in rates.series + volume.series:
        s.smooth = False  # straight lines: a smoothed curve shows values that were never measured
    show_axes(rates, volume)
    rates.legend.position, volume.legend = "b", None  # the chart's width for the weeks; one line needs no key
    in_chart_region(ws, rates, WEEKLY_ROWS)  # one above the other, right of the heat map, printed on page two
    in_chart_region(ws, volume, VOLUME_ROWS)


MONTH_COLOURS = ("1F4E78", "C55A11", "548235", "7030A0")


def monthly_chart(ws, table, top: int, left: int, lang: str) -> None:
    """The last 13 months: each headline rate as a straight line, its target as a dashed line of the same
    colour (drawn from the table's hidden target columns), printed below the weekly charts (the table is not)."""
    from .. import schema

    col = {k: left + table.keys.index(k) + 1 for k in table.keys}
    chart = LineChart()
    chart.title, chart.y_axis.title, chart.height, chart.width = LANGS[lang].DASHBOARD["trend_monthly"], "%", 8, 21
    specs = []
    for key, colour in zip(schema.MONTHLY_KEYS, MONTH_COLOURS):
        specs += [(key, colour, None), (f"target_{key}", colour, "dash")]
    last = top + schema.MONTHS
    for key, colour, dash in specs:
        chart.add_data(Reference(ws, min_col=col[key], min_row=top, max_row=last), titles_from_data=True)
        s = chart.series[-1]
        s.graphicalProperties.line.solidFill = colour
        s.smooth = False
        if dash:
            s.graphicalProperties.line.dashStyle = dash
    chart.set_categories(Reference(ws, min_col=col["month"], min_row=top + 1, max_row=last))
    chart.visible_cells_only = False  # the targets sit in hidden columns
    show_axes(chart)
    from openpyxl.chart.legend import LegendEntry

    chart.legend.position = "b"  # the lines only: the title says the dashed ones are their targets
    chart.legend.legendEntry = [LegendEntry(idx=i, delete=True) for i in range(1, len(specs), 2)]
    in_chart_region(ws, chart, MONTHLY_ROWS)  # below the weekly charts


def lines(chart, ws, col: dict, top: int, specs) -> None:
    """Add a line series per (column key, colour, dash) drawn from the table's column (titled by its header)."""
    for key, colour, dash in specs:
        chart.add_data(Reference(ws, min_col=col[key], min_row=top, max_row=top + 1), titles_from_data=True)
        s = chart.series[-1]
        s.graphicalProperties.line.solidFill = colour
        if dash:
            s.graphicalProperties.line.dashStyle = dash
        s.smooth = False


def pareto_chart(ws, table, top: int, left: int, lang: str) -> None:
    """Excel's own Pareto chart type cannot be written by openpyxl, so a combo: the counts as columns (the
    vital few in their own colour), the cumulative share and the 80 % line on a secondary 0–100 % axis."""
    from openpyxl.chart import BarChart
    from openpyxl.chart.shapes import GraphicalProperties

    keys = table.keys
    col = {k: left + keys.index(k) + 1 for k in keys}
    ws.cell(row=1, column=1, value=LANGS[lang].PARETO["title"]).font = Font(bold=True, size=14, color="1F4E78")
    cats = Reference(ws, min_col=col["category"], min_row=top + 1, max_row=top + 1)
    bars = BarChart()
    bars.type, bars.grouping, bars.overlap, bars.gapWidth = "col", "clustered", 100, 40
    bars.title, bars.height, bars.width = LANGS[lang].PARETO["chart"], 9, 22
    bars.y_axis.title = LANGS[lang].PARETO["count_axis"]
    for key, colour in (("vital_count", "C00000"), ("other_count", "A6A6A6")):
        bars.add_data(Reference(ws, min_col=col[key], min_row=top, max_row=top + 1), titles_from_data=True)
        bars.series[-1].graphicalProperties = GraphicalProperties(solidFill=colour)
    bars.set_categories(cats)
    line = LineChart()
    lines(line, ws, col, top, (("cum_pct", "1F4E78", None), ("line_80", "FF0000", "dash")))
    line.y_axis.axId = 200
    line.y_axis.title = "%"
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 100
    line.y_axis.crosses = "max"
    show_axes(bars, line)
    bars += line
    bars.visible_cells_only = False  # it draws from the hidden helper columns (schema: hidden fields)
    ws.add_chart(bars, f"{get_column_letter(left + len(keys) + 2)}{top}")
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # the table and the chart beside it, one page wide
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def overdue_rows(ws, table, top: int, left: int, lang: str) -> None:
    """Overdue actions stand out: the whole row when its status is 已逾期."""
    from openpyxl.formatting.rule import FormulaRule

    status = get_column_letter(left + table.keys.index("status") + 1)
    last = get_column_letter(left + len(table.keys))
    overdue = LANGS[lang].ACTION_OVERDUE
    ws.conditional_formatting.add(
        f"{get_column_letter(left + 1)}{top + 1}:{last}{body_rows(ws, table)[1]}",
        FormulaRule(formula=[f'${status}{top + 1}="{overdue}"'], fill=PatternFill("solid", bgColor="FFC7CE"),
                    font=Font(color="9C0006")))


def control_charts(ws, table, top: int, left: int, lang: str) -> None:
    """Two native control charts over the weekly table: first-response SLA (p-chart) and its median time (XmR),
    each with its centre line and limits; the alerts action stretches them to the weeks it wrote."""
    words = LANGS[lang].CONTROL
    ws.cell(row=1, column=1, value=words["title"]).font = Font(bold=True, size=14, color="1F4E78")
    keys = table.keys
    col = {k: left + keys.index(k) + 1 for k in keys}
    cats = Reference(ws, min_col=col["week"], min_row=top + 1, max_row=top + 1)
    for n, (prefix, title) in enumerate((("fr_sla", words["p_chart"]), ("fr_min", words["xmr_chart"]),
                                         ("res_sla", words["res_chart"]), ("csat", words["csat_chart"]))):
        chart = LineChart()
        chart.title, chart.height, chart.width = title, 8, 18
        lines(chart, ws, col, top, ((prefix, "1F4E78", None), (f"{prefix}_centre", "548235", None),
                                    (f"{prefix}_lcl", "C00000", "dash"), (f"{prefix}_ucl", "C00000", "dash")))
        chart.set_categories(cats)
        show_axes(chart)
        ws.add_chart(chart, f"{get_column_letter(left + 1 + (n % 2) * 10)}{top + 20 + (n // 2) * 17}")
