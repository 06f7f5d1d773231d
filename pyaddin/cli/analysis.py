"""Commands of the ribbon's 分析 group."""
from __future__ import annotations

from pathlib import Path

import click

from .options import (
    as_of_option,
    book_argument,
    date_order_option,
    json_option,
    one_period,
    period_options,
    run_action,
    source_option,
)


@click.command()
@book_argument
@period_options
@as_of_option
@json_option
@date_order_option
@source_option
def kpi(book: Path, period, quarter, date_from, date_to, as_of, as_json, date_order, sources):
    """Compute every KPI of the period (default: the last month that holds tickets) and write the KPI sheet.

    With --json the result is printed exactly as {"period", "overall", "by_channel",
    "by_department", "by_agent"}, unrounded, null where a denominator is 0.
    """
    one_period(period, quarter, date_from, date_to)
    run_action("kpi", book, as_json=as_json, date_order=date_order, period=period, quarter=quarter,
               date_from=date_from, date_to=date_to, as_of=as_of, sources=sources)


@click.command()
@book_argument
@click.option("--by", default="category", show_default=True,
              help="The column to count by: a field (category, channel, department…) or a pasted column's header.")
@click.option("--weight", metavar="COLUMN", help="Sum this numeric column instead of counting tickets (e.g. minutes lost).")
@period_options
@as_of_option
@json_option
@source_option
def pareto(book: Path, by, weight, period, quarter, date_from, date_to, as_of, as_json, sources):
    """Pareto analysis of the period's tickets (default: the last month that holds tickets): counts by
    category, shares, cumulative shares and the vital few that reach 80 %, with the combo chart.

    With --json prints {"by", "total", "rows": [{"name", "count", "pct", "cum_pct", "vital"}]}.
    """
    one_period(period, quarter, date_from, date_to)
    run_action("pareto", book, as_json=as_json, by=by, weight=weight, period=period, quarter=quarter,
               date_from=date_from, date_to=date_to, as_of=as_of, sources=sources)


@click.command()
@book_argument
@click.option("--as-of", "as_of", metavar="DATETIME", help="The clock for open tickets (default: the latest ticket's time).")
@click.option("--rules", default="1", show_default=True, metavar="1,2of3,4of5,8run",
              help="Control-chart rules: 1 (beyond 3σ, ISO 7870-2's routine rule) and the Western Electric rules.")
@click.option("--baseline-weeks", type=click.IntRange(2, 52), default=8, show_default=True,
              help="The first weeks whose data set the centre line and limits.")
@json_option
@source_option
def alerts(book: Path, as_of, rules, baseline_weeks, as_json, sources):
    """Early warning: open tickets past their response or resolution target by department, weekly
    control-chart signals (p-chart for rates, XmR for times) and indicators whose status got worse
    from last month to this one.

    With --json prints {"as_of", "breaches", "signals", "worsened"}.
    """
    chosen = tuple(r.strip() for r in rules.split(",") if r.strip())
    unknown = [r for r in chosen if r not in ("1", "2of3", "4of5", "8run")]
    if unknown:
        raise click.BadParameter(f"unknown rule(s) {', '.join(unknown)}; use 1, 2of3, 4of5, 8run", param_hint="--rules")
    run_action("alerts", book, as_json=as_json, as_of=as_of, rules=chosen, baseline_weeks=baseline_weeks,
               sources=sources)


COMMANDS = (kpi, pareto, alerts)
