"""Commands of the ribbon's 报告 group."""
from __future__ import annotations

from pathlib import Path

import click

from .options import book_argument, run_action, source_option


@click.command()
@book_argument
@click.option("--period", metavar="YYYY-MM", help="A calendar month (default: the last one holding tickets).")
@click.option("--quarter", metavar="YYYYQn", help="A calendar quarter, e.g. 2026Q3.")
@click.option("--week", metavar="YYYY-Wnn", help="An ISO week (Monday to Sunday), e.g. 2026-W38.")
@click.option("--year", metavar="YYYY", help="A calendar year, e.g. 2026.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The report file: .xlsx (native charts, A4) or .html (one file, charts embedded).")
@source_option
def report(book: Path, period, quarter, week, year, output, sources):
    """Write the monitoring report of a week, month, quarter or year: overview, indicators against targets and the
    previous period, main problems, typical cases, overdue actions, a forecast with its interval, and
    recommendations from the data."""
    if len([x for x in (period, quarter, week, year) if x]) > 1:
        raise click.UsageError("use one of --period, --quarter, --week or --year / 只能选择一种统计周期")
    run_action("report", book, output=output, period=period, quarter=quarter, week=week, year=year, sources=sources)


COMMANDS = (report,)
