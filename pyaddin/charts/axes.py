"""Native Excel charts (openpyxl) drawn with their axes: openpyxl 3.1 leaves ``<c:delete>`` out of an axis, and
Office then reads the axis as deleted (the Pareto's categories and 0–100 % scale, the trend's dates vanish);
LibreOffice shows them anyway."""
from __future__ import annotations


def show_axes(*charts) -> None:
    """Write ``<c:delete val="0"/>`` on every axis of ``charts`` (each chart of a combo passed too)."""
    for chart in charts:
        for axis in (chart.x_axis, chart.y_axis):
            axis.delete = False
