"""The KPI dashboard's fixed furniture: heat-map colour scales and the weekly trend line charts.

Charts are native Excel line charts over the trend table; the KPI action stretches their
ranges to the weeks it wrote (``ooxml.tables.retarget_charts``).
"""
from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from ..locale import LANGS


def heatmap_colours(ws, top: int, left: int) -> None:
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
    rates.title, rates.y_axis.title, rates.height, rates.width = words["trend_rates"], "%", 8, 18
    rates.add_data(Reference(ws, min_col=left + 2, max_col=left + 6, min_row=top, max_row=top + 1),
                   titles_from_data=True)
    rates.set_categories(cats)
    volume = LineChart()
    volume.title, volume.height, volume.width = words["trend_volume"], 8, 18
    volume.add_data(Reference(ws, min_col=left + 7, min_row=top, max_row=top + 1), titles_from_data=True)
    volume.set_categories(cats)
    anchor_col = get_column_letter(left + 1)
    ws.add_chart(rates, f"{anchor_col}{top + 27}")
    ws.add_chart(volume, f"{get_column_letter(left + 9)}{top + 27}")
