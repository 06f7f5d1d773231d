"""Commands of the ribbon's 分析 group."""
from __future__ import annotations

from pathlib import Path

import click

from .options import as_of_option, book_argument, date_order_option, json_option, one_period, period_options, run_action


@click.command()
@book_argument
@period_options
@as_of_option
@json_option
@date_order_option
def kpi(book: Path, period, quarter, date_from, date_to, as_of, as_json, date_order):
    """Compute every KPI of the period (default: the last month that holds tickets) and write the KPI sheet.

    With --json the result is printed exactly as {"period", "overall", "by_channel",
    "by_department", "by_agent"}, unrounded, null where a denominator is 0.
    """
    one_period(period, quarter, date_from, date_to)
    run_action("kpi", book, as_json=as_json, date_order=date_order, period=period, quarter=quarter,
               date_from=date_from, date_to=date_to, as_of=as_of)


@click.command()
@book_argument
@click.option("--by", default="category", show_default=True,
              help="The column to count by: a field (category, channel, department…) or a pasted column's header.")
@click.option("--weight", metavar="COLUMN", help="Sum this numeric column instead of counting tickets (e.g. minutes lost).")
@period_options
@as_of_option
@json_option
def pareto(book: Path, by, weight, period, quarter, date_from, date_to, as_of, as_json):
    """Pareto analysis of the period's tickets (default: the last month that holds tickets): counts by
    category, shares, cumulative shares and the vital few that reach 80 %, with the combo chart.

    With --json prints {"by", "total", "rows": [{"name", "count", "pct", "cum_pct", "vital"}]}.
    """
    one_period(period, quarter, date_from, date_to)
    run_action("pareto", book, as_json=as_json, by=by, weight=weight, period=period, quarter=quarter,
               date_from=date_from, date_to=date_to, as_of=as_of)


COMMANDS = (kpi, pareto)
