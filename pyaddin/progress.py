"""Progress on long work, on stderr so that stdout stays clean for --json."""
from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def steps(title: str):
    """Yield ``progress(step, rows)``: one line per finished step, with a spinner while working."""
    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(title, total=None)

        def progress(step: str, rows: int | None = None):
            bar.update(task, description=f"{title}: {step}" + (f" ({rows:,} rows)" if rows is not None else ""))
        yield progress
