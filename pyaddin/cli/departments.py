"""Commands of the ribbon's 部门协同 group: send workbooks to departments, collect them back."""
from __future__ import annotations

from pathlib import Path

import click

from .options import book_argument, json_option, run_action


@click.command()
@book_argument
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--deadline", metavar="YYYY-MM-DD", help="The date to return by (default: a week from today).")
@click.option("--departments", "departments", metavar="NAME", multiple=True,
              help="Send to this department only (repeat for several; default: every department with open work).")
@json_option
def distribute(book: Path, outdir: Path, deadline, departments, as_json):
    """Write one workbook per department with open problems or actions into OUTDIR, named
    <batch>_<department>.xlsx: a cover sheet, its problems, root causes and actions (the fields it
    fills unlocked and validated, the rest locked and fingerprinted) and a KPI snapshot. Each file
    sent is a row on the distribution sheet (下发回收) and in the log."""
    run_action("distribute", book, as_json=as_json, outdir=outdir, deadline=deadline,
               departments=list(departments) or None)


@click.command()
@book_argument
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report everything and write nothing.")
@click.option("--batch", metavar="B20261126-1", help="The batch to collect (default: the latest sent).")
@click.option("--accept", "accept", metavar="A002", multiple=True,
              help="Apply this row held for confirmation (an action overdue when sent, returned done on time; repeat).")
@json_option
def collect(book: Path, files, dry_run, batch, accept, as_json):
    """Merge returned department workbooks (FILES, or every file in a folder) into BOOK, only in
    the fields departments fill. Refuses what is not a plain .xlsx of this batch; rejects rows whose
    locked cells or fingerprints were altered; reports conflicts with edits made in the master
    since sending and the departments that have not returned yet. Exit 1 when anything was
    refused, sent back or in conflict."""
    run_action("collect", book, as_json=as_json, paths=list(files), dry_run=dry_run, batch=batch,
               accept=list(accept))


@click.command()
@book_argument
@click.argument("actions", nargs=-1, metavar="[A002 ...]")
@json_option
def approve(book: Path, actions, as_json):
    """Grant the new deadlines departments asked for (申请延期至) on the named actions: the requested date
    becomes the deadline, the request is cleared and the log keeps the old deadline."""
    run_action("approve_extension", book, as_json=as_json, actions=list(actions) or None)


COMMANDS = (distribute, collect, approve)
