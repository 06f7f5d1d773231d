"""Progress on long work, on stderr so that stdout stays clean for --json.

Only a person at a terminal sees it; elsewhere (pipes, tests, the ribbon) nothing is shown
and rich is not even imported, so that a command's reading starts sooner.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def steps(title: str):
    """Yield ``progress(step, rows)``: one line per finished step, with a spinner while working."""
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        yield lambda step, rows=None: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task(title, total=None)

        def progress(step: str, rows: int | None = None):
            bar.update(task, description=f"{title}: {step}" + (f" ({rows:,} rows)" if rows is not None else ""))
        yield progress
