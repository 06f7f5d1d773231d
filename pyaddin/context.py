"""What an action may ask of the world around it, whoever started it.

An action never asks "am I in Excel?": it asks its context for the time (``as_of``), the
user, progress, a file or a folder, a yes/no answer, a PDF printed by Excel.  The command line
and the ribbon each build a context; tests build one with fixed answers.
"""
from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Surface = str  # "cli" or "excel": which words a message uses for what the user can do


def _no_progress(step: str, rows: int | None = None) -> None:
    return None


def _nobody(*_args, **_kw):
    return None


@dataclass
class Context:
    surface: Surface = "cli"
    user: str = field(default_factory=getpass.getuser)
    as_of: dt.datetime | None = None  # the clock of SLA ages and overdue checks; None: the action's default
    progress: Callable[[str, int | None], None] = _no_progress
    ask_file: Callable[[str], str | None] = _nobody  # title → chosen path, or None
    ask_folder: Callable[[str], str | None] = _nobody
    confirm: Callable[[str], bool] = lambda question: False  # noqa: E731  (headless: nobody to say yes)
    clock: Callable[[], dt.datetime] = dt.datetime.now
    export_pdf: Callable[[Path], Path | None] = _nobody  # a written .xlsx → its PDF printed by Excel; None headless

    def now(self) -> dt.datetime:
        """Wall-clock time for log rows, without microseconds (Excel shows seconds)."""
        return self.clock().replace(microsecond=0)
