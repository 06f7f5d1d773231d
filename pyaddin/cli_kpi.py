"""``qualitybook kpi``: the KPI action from the command line (--json prints exactly the result)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli import book_argument, cli, date_order_option, open_book, report


@cli.command()
@book_argument
@click.option("--period", metavar="YYYY-MM", help="A calendar month.")
@click.option("--quarter", metavar="YYYYQn", help="A calendar quarter, e.g. 2026Q3.")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="First day (with --to: last day, inclusive).")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Last day, inclusive.")
@click.option("--as-of", "as_of", metavar="DATETIME", help="When SLA clocks and the backlog are read (default: period end).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout (and nothing else).")
@date_order_option
def kpi(book: Path, period, quarter, date_from, date_to, as_of, as_json, date_order):
    """Compute every KPI of the period (default: the last full month in the data) and write the KPI sheet."""
    from .prefetch import Prefetch

    early = Prefetch(book, ["tbl_tickets", "tbl_surveys", "tbl_inspections"])  # reads while pandas loads
    early.settle()
    from .actions import run

    chosen = [x for x in (period, quarter, date_from or date_to) if x]
    if len(chosen) > 1:
        raise click.UsageError("use one of --period, --quarter or --from/--to / 只能选择一种统计周期")
    with open_book(book, date_order, prefetch=early) as b:
        out = run("kpi", b, period=period, quarter=quarter, date_from=date_from, date_to=date_to, as_of=as_of)
    if as_json:
        click.echo(json.dumps(out.data, ensure_ascii=False))
        sys.exit(out.exit_code)
    sys.exit(report(out))
