"""Commands of the ribbon's 考核 group."""
from __future__ import annotations

from pathlib import Path

import click

from .options import book_argument, json_option, run_action, source_option


@click.command()
@book_argument
@click.option("--quarter", metavar="YYYYQn", help="The quarter, e.g. 2026Q3 (default: the last one holding tickets).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a workbook for management: a summary and one sheet per department (.xlsx).")
@json_option
@source_option
def appraise(book: Path, quarter, output, as_json, sources):
    """Quarterly appraisal (DOMAIN.md §9): every agent's and department's score from CSAT, first-response
    SLA, FCR, QA score and rectification (weights from the Standards sheet), less the complaint
    deduction; grade, rank within the department, 样本不足 under the minimum tickets.

    With --json prints {"quarter", "agents": [...], "departments": [...]}.
    """
    if quarter and not (len(quarter) == 6 and quarter[:4].isdigit() and quarter[4] in "Qq" and quarter[5] in "1234"):
        raise click.BadParameter(f"{quarter!r}: use the form 2026Q3", param_hint="--quarter")
    run_action("appraise", book, as_json=as_json, quarter=quarter, output=output, sources=sources)


COMMANDS = (appraise,)
