"""Commands of the ribbon's 数据 group: a new workbook, imports, the data check."""
from __future__ import annotations

from pathlib import Path

import click

from ..schema import INPUT_TABLES
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


@click.command("import")
@book_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", type=click.Choice(INPUT_TABLES), required=True, help="The table to import into.")
@click.option("--append/--replace", "append", default=True, show_default=True,
              help="Add to the rows already there (duplicate ids are errors), or replace them.")
@click.option("--keep-invalid", is_flag=True,
              help="Import the valid rows and put the invalid ones, with reasons, in the Rejects table.")
@date_order_option
def import_(book: Path, file: Path, into: str, append: bool, keep_invalid: bool, date_order: str):
    """Import a CSV (UTF-8, UTF-8 BOM, GBK/GB18030) or Excel export FILE into a table of BOOK.

    Every unreadable or invalid cell is reported with its row, column and reason; unless
    --keep-invalid is given nothing is written and BOOK stays byte-identical.
    """
    from ..prefetch import EarlySource

    early = EarlySource(file)  # reads the export while pandas is imported
    run_action(f"import_{into}", book, date_order=date_order, title=f"import {file.name}", path=file,
               replace=not append, keep_invalid=keep_invalid, early=early)


@click.command()
@book_argument
@date_order_option
def check(book: Path, date_order: str):
    """Check every cell of the input tables and worklists in BOOK (exit 1 if any is bad)."""
    run_action("check", book, date_order=date_order)


COMMANDS = (new, import_, check)
