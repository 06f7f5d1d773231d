"""The ``qualitybook`` command line: small commands over the same actions as the ribbon.

Exit codes: 0 ok, 1 data problems, 2 usage error.  Options that several commands share
are declared once (``book_argument``, ``date_order_option``).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import schema
from .errors import QBError
from .locale import both

DATE_ORDERS = ("ymd", "mdy", "dmy")


def book_argument(f):
    return click.argument("book", type=click.Path(dir_okay=False, path_type=Path))(f)


def date_order_option(f):
    return click.option("--date-order", type=click.Choice(DATE_ORDERS), default="ymd", show_default=True,
                        help="How to read dates like 09/03/2026: ymd and mdy read month/day/year, dmy day/month/year.")(f)


def report(outcome) -> int:
    click.echo(both(outcome.key, **outcome.kw))
    for line in outcome.details:
        click.echo(line)
    return outcome.exit_code


def fail(exc: QBError):
    click.echo(exc.both(), err=True)
    for line in exc.details:
        click.echo(line, err=True)
    sys.exit(exc.exit_code)


def open_book(path: Path, date_order: str = "ymd", prefetch=None):
    from .book import FileBook

    return FileBook(path, date_order=date_order, prefetch=prefetch)


class Group(click.Group):
    """Turns every QBError into its message and exit code, whatever the command."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QBError as exc:
            fail(exc)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qualitybook")
def cli():
    """QualityBook: service-quality monitoring in an Excel workbook (质量监控工作簿)."""


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of sheet names, headers and the ribbon.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(path: Path, lang: str, force: bool):
    """Create a new QualityBook workbook (.xlsm) with every table, the ribbon and the VBA."""
    from .build.workbook import build_book
    from .ooxml.package import ensure_writable

    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; use --force to overwrite. / 文件已存在,如需覆盖请加 --force。")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        ensure_writable(path)
    build_book(path, lang)
    click.echo(both("created", path=str(path)))


@cli.command("import")
@book_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", type=click.Choice(schema.INPUT_TABLES), required=True, help="The table to import into.")
@click.option("--append/--replace", "append", default=True, show_default=True,
              help="Add to the rows already there (duplicate ids are errors), or replace them.")
@click.option("--keep-invalid", is_flag=True,
              help="Import the valid rows and put the invalid ones, with reasons, in the Rejects table.")
@date_order_option
def import_(book: Path, file: Path, into: str, append: bool, keep_invalid: bool, date_order: str):
    """Import a CSV (UTF-8, UTF-8 BOM, GBK/GB18030) or Excel export into a table of BOOK.

    Every unreadable or invalid cell is reported with its row, column and reason; unless
    --keep-invalid is given nothing is written and BOOK stays byte-identical.
    """
    from .ops.data import import_file
    from .progress import steps

    with open_book(book, date_order) as b, steps(f"import {file.name}") as progress:
        out = import_file(b, into, file, replace=not append, keep_invalid=keep_invalid, progress=progress)
    sys.exit(report(out))


@cli.command()
@book_argument
@date_order_option
def check(book: Path, date_order: str):
    """Check every cell of the ticket, survey and inspection tables in BOOK (exit 1 if any is bad)."""
    from .actions import run

    with open_book(book, date_order) as b:
        sys.exit(report(run("check", b)))


@cli.command()
@click.argument("action")
@click.option("--wb", help="Set by xlwings' RunFrozenPython: the calling workbook.")
@click.option("--from_xl", help="Set by xlwings' RunFrozenPython.")
@click.option("--app", help="Set by xlwings' RunFrozenPython: the Excel executable.")
@click.option("--hwnd", help="Set by xlwings' RunFrozenPython: the Excel window handle.")
def run(action: str, wb, from_xl, app, hwnd):
    """Run ACTION on the calling Excel workbook (what the ribbon does through the packaged program)."""
    from .actions import load
    from .excel import run_action

    if action not in load():
        raise click.UsageError(f"unknown action {action!r}; one of: {', '.join(load())}")
    sys.exit(run_action(action))


@cli.command("actions")
def list_actions():
    """List the ribbon actions and whether they are available yet."""
    from .actions import load
    from .locale import action_text, group_label

    for a in load().values():
        state = "planned" if a.planned else "ready"
        click.echo(f"{a.name:20} {group_label(a.group)}/{action_text(a.name)[0]:12} {state}")


def main():
    cli(prog_name="qualitybook")


from . import cli_kpi  # noqa: E402,F401  (its commands attach themselves to ``cli``)
