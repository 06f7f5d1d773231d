"""Commands of the ribbon's 数据 group: a new workbook, imports, the data check."""
from __future__ import annotations

from pathlib import Path

import click

from ..schema import IMPORTABLE
from .options import book_argument, date_order_option, run_action


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of sheet names, headers and the ribbon.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(path: Path, lang: str, force: bool):
    """Create a new QualityBook workbook (.xlsm) with every table, the ribbon and the VBA."""
    from ..build.workbook import build_book
    from ..locale import say
    from ..ooxml.package import ensure_writable

    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; use --force to overwrite. / 文件已存在,如需覆盖请加 --force。")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        ensure_writable(path)
    build_book(path, lang)
    click.echo(say("created", path=str(path)))


def _pairs(seps: str, n: int):
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
            if len(parts) != n or not all(parts):
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
@click.option("--map", "maps", metavar="HEADER=FIELD", multiple=True, callback=_pairs("=", 2),
              help="Read the column HEADER as FIELD (a key such as priority, or its 中文/English name). Repeatable; "
                   "saved in the workbook's Mapping table, so the next import of the same export needs nothing.")
@click.option("--value", "values", metavar="FIELD:SOURCE=TARGET", multiple=True, callback=_pairs(":=", 3),
              help="Read the value SOURCE of FIELD as TARGET (e.g. channel:WeChat=social). Repeatable; saved in the "
                   "workbook's value-mapping table.")
@click.option("--errors", "errors_to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every problem found (file, row, column, value, reason) to this CSV file.")
@date_order_option
def import_(book: Path, file: Path, into: str, append: bool, keep_invalid: bool, sheet, maps, values, errors_to,
            date_order: str):
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
               errors_to=errors_to)


@click.command()
@book_argument
@date_order_option
def check(book: Path, date_order: str):
    """Check every cell of the input tables and worklists in BOOK (exit 1 if any is bad)."""
    run_action("check", book, date_order=date_order)


COMMANDS = (new, import_, check)
