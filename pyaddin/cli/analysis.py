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


COMMANDS = (kpi,)
