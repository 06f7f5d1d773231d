"""Commands of the ribbon's 数据 group: a new workbook, imports, the data check."""
from __future__ import annotations

from pathlib import Path

import click

from ..schema import IMPORTABLE
from .options import (
    book_argument,
    date_order_option,
    json_option,
    one_period,
    period_options,
    run_action,
    source_option,
)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of sheet names, headers and the ribbon.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(path: Path, lang: str, force: bool):
    """Create a new QualityBook workbook (.xlsm) with every table, the ribbon and the VBA."""
    from ..build.workbook import build_book
    from ..locale import follow_book, say
    from ..ooxml.package import ensure_writable

    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; use --force to overwrite. / 文件已存在,如需覆盖请加 --force。")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        ensure_writable(path)
    build_book(path, lang)
    follow_book(lang)
    click.echo(say("created", path=str(path)))


def _pairs(seps: str, n: int, blank_last: bool = False):
    """A click callback splitting each HEADER=FIELD (or FIELD:SOURCE=TARGET) into its parts."""
    def split(ctx, param, items):
        out = []
        for item in items:
            parts, rest = [], item
            for sep in seps:
                head, found, rest = rest.partition(sep)
                if not found:
                    raise click.BadParameter(f"{item!r}: expected {param.metavar}", param=param)
                parts.append(head.strip())
            parts.append(rest.strip())
            if len(parts) != n or not all(parts[:-1] if blank_last else parts):
                raise click.BadParameter(f"{item!r}: expected {param.metavar}", param=param)
            out.append(tuple(parts))
        return tuple(out)
    return split


@click.command("import")
@book_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", type=click.Choice(IMPORTABLE), required=True,
              help="The table to import into: an export (tickets, surveys, inspections) or a list a team already "
                   "keeps (problems, rootcause, plan).")
@click.option("--append/--replace", "append", default=True, show_default=True,
              help="Add to the rows already there (duplicate ids are errors), or replace them.")
@click.option("--keep-invalid", is_flag=True,
              help="Import the valid rows and put the invalid ones, with reasons, in the Rejects table.")
@click.option("--sheet", metavar="NAME|NUMBER", help="The sheet of an Excel export to read (default: the first).")
@click.option("--map", "maps", metavar="HEADER=FIELD", multiple=True, callback=_pairs("=", 2, True),
              help="Read the column HEADER as FIELD (a key such as priority, or its 中文/English name); HEADER= sets "
                   "the column aside; DATE+TIME=FIELD joins a date and a time column. Repeatable; "
                   "saved in the workbook's Mapping table, so the next import of the same export needs nothing.")
@click.option("--value", "values", metavar="FIELD:SOURCE=TARGET", multiple=True, callback=_pairs(":=", 3),
              help="Read the value SOURCE of FIELD as TARGET (e.g. channel:WeChat=social). Repeatable; saved in the "
                   "workbook's value-mapping table.")
@click.option("--errors", "errors_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every problem found (file, row, column, value, reason) to this CSV file.")
@click.option("--max-score", type=float, default=None,
              help="Inspections in the wide form (one row per evaluation, one column per item): every item's max "
                   "score, such as 100. Default: each item's max score on the Scorecard sheet.")
@date_order_option
def import_(book: Path, file: Path, into: str, append: bool, keep_invalid: bool, sheet, maps, values, errors_to,
            date_order: str, max_score):
    """Import a CSV (UTF-8, UTF-8 BOM, GBK/GB18030) or Excel export FILE into a table of BOOK.

    Exports of Zendesk, Freshdesk, ServiceNow, Jira Service Management and Salesforce are
    recognised by their headers; a title above the header and a totals row at the end are
    skipped. Every unreadable or invalid cell is reported (grouped by column and reason);
    unless --keep-invalid is given nothing is imported. Columns and values it cannot place
    are listed in the Mapping tables, to complete and import again.
    """
    from ..prefetch import EarlySource

    early = EarlySource(file) if sheet is None else None  # reads the export while pandas is imported
    run_action(f"import_{into}", book, date_order=date_order, title=f"import {file.name}", path=file,
               replace=not append, keep_invalid=keep_invalid, early=early, sheet=sheet, maps=maps, values=values,
               errors_to=errors_to, **({"max_score": max_score} if max_score is not None else {}))


@click.command()
@book_argument
@date_order_option
def check(book: Path, date_order: str):
    """Check every cell of the input tables and worklists in BOOK (exit 1 if any is bad)."""
    run_action("check", book, date_order=date_order)


COMMANDS = (new, import_, check)


@click.command()
@book_argument
@click.option("--as-of", "as_of", metavar="DATE", help="The day to check (default: today).")
@json_option
def due(book: Path, as_of, as_json):
    """List what the monitoring plan (监控计划) says is due or late, and the special monitoring periods
    under way (such as the week before a holiday)."""
    run_action("due", book, as_json=as_json, as_of=as_of)


@click.command()
@book_argument
@click.option("--rate", type=click.FloatRange(0, 1), help="Share of the period's tickets (default: the Standards "
                                                          "sheet's audit_sample_pct, 10 %).")
@click.option("--min-per-agent", type=click.IntRange(0, 1000), help="At least this many per agent who has that many "
                                                                   "(default 3).")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed draws the same sample.")
@click.option("--day", metavar="YYYY-MM-DD", help="One day's tickets: the daily 10 % audit (每日抽查).")
@period_options
@json_option
@source_option
def sample(book: Path, rate, min_per_agent, seed, day, period, quarter, date_from, date_to, as_json, sources):
    """Draw a reproducible ticket-audit sample, stratified by agent, and write it as the 抽样质检 sheet with
    the scorecard's items for reviewers to score.

    With --json prints {"period", "rate", "seed", "population", "sample", "by_agent"}.
    """
    one_period(period, quarter, date_from or day, date_to)
    if day and (date_from or date_to):
        raise click.UsageError("use one of --day, --period, --quarter or --from/--to / 只能选择一种统计周期")
    if day:
        date_from = date_to = day
    run_action("sample", book, as_json=as_json, rate=rate, min_per_agent=min_per_agent, seed=seed, period=period,
               quarter=quarter, date_from=date_from, date_to=date_to, sources=sources)


@click.command("record-audit")
@book_argument
def record_audit(book: Path):
    """Record the reviewers' scores on the 抽样质检 sheet in 质检记录 (each ticket and reviewer once)."""
    run_action("record_audit", book)


@click.command()
@book_argument
@json_option
def calibrate(book: Path, as_json):
    """Compare reviewers who scored the same tickets: spread and agreement per item and reviewer, and who
    scores consistently stricter or more leniently."""
    run_action("calibrate", book, as_json=as_json)


COMMANDS = COMMANDS + (due, sample, record_audit, calibrate)
