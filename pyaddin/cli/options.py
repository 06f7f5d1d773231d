"""What the commands share: the book argument, period and output options, and running an action.

Only click and the standard library are imported here, so that a command starts reading
the workbook (``Prefetch``) before pandas is imported.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..schema import DATE_ORDERS


def book_argument(f):
    return click.argument("book", type=click.Path(dir_okay=False, path_type=Path))(f)


def date_order_option(f):
    return click.option("--date-order", type=click.Choice(DATE_ORDERS), default=None,
                        help="How to read dates like 09/03/2026 when no value of the column shows it: mdy (and ymd) "
                             "month/day/year, dmy day/month/year. Default: the workbook's setting on the standards "
                             "sheet (month first).")(f)


def period_options(f):
    """--period | --quarter | --from/--to: one way of choosing the period."""
    for opt in reversed((
        click.option("--period", metavar="YYYY-MM", help="A calendar month."),
        click.option("--quarter", metavar="YYYYQn", help="A calendar quarter, e.g. 2026Q3."),
        click.option("--from", "date_from", metavar="YYYY-MM-DD", help="First day (with --to: last day, inclusive)."),
        click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Last day, inclusive."),
    )):
        f = opt(f)
    return f


def one_period(period, quarter, date_from, date_to) -> None:
    if len([x for x in (period, quarter, date_from or date_to) if x]) > 1:
        raise click.UsageError("use one of --period, --quarter or --from/--to / 只能选择一种统计周期")


def as_of_option(f):
    return click.option("--as-of", "as_of", metavar="DATETIME",
                        help="The clock for SLA ages, the backlog and overdue checks (default: period end).")(f)


def _sources(ctx, param, items):
    out = {}
    for item in items:
        table, found, where = item.partition("=")
        if not found or table.strip() not in ("tickets", "surveys", "inspections", "calls"):
            raise click.BadParameter(f"{item!r}: expected TABLE=PATH (tickets, surveys, inspections, calls) / "
                                     f"应为 表=路径", param=param)
        out[table.strip()] = where.strip()
    return out


def source_option(f):
    return click.option("--source", "sources", multiple=True, metavar="TABLE=PATH", callback=_sources,
                        help="Read a table from outside the workbook for this run: a Parquet file, folder or glob, a "
                             "CSV folder, a .duckdb file, or a Spark session (local[*]#PATH, spark://HOST:7077#DB.TABLE, "
                             "sc://HOST:15002#DB.TABLE) (TABLE=  with nothing: the workbook's own). Overrides "
                             "source.TABLE on the standards sheet.")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout (and nothing else).")(f)


def report(outcome) -> int:
    from ..locale import say

    click.echo(say(outcome.key, **outcome.kw))
    for line in outcome.details:
        click.echo(line)
    return outcome.exit_code


def run_action(name: str, book: Path, *, as_json: bool = False, date_order: str | None = None, title: str | None = None,
               sources: dict[str, str] | None = None, **options):
    """Run a registered action on BOOK from the command line and exit with its code."""
    from ..context import Context
    from ..progress import steps
    from ..runner import run_file

    with steps(title or name) as progress:
        out = run_file(name, book, Context(surface="cli", progress=progress), date_order=date_order, sources=sources,
                       **options)
    if as_json:
        click.echo(json.dumps(out.data, ensure_ascii=False))
        sys.exit(out.exit_code)
    sys.exit(report(out))
