"""Entry point for the ribbon: ``RunPython "import pyaddin.excel; pyaddin.excel.run_action('kpi')"``.

A person clicking a button sees a message box in Chinese (with the English beside it),
never a raw traceback; the traceback goes to a log file whose path the box shows.
"""
from __future__ import annotations

import logging
import tempfile
import traceback
from pathlib import Path

from .errors import QBError
from .locale import both, text

LOG_FILE = Path(tempfile.gettempdir()) / "qualitybook.log"


def _log() -> logging.Logger:
    log = logging.getLogger("qualitybook")
    if not log.handlers:
        h = logging.FileHandler(LOG_FILE, encoding="utf-8")
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(h)
        log.setLevel(logging.INFO)
    return log


def outcome_text(outcome) -> str:
    lines = [both(outcome.key, **outcome.kw)]
    return "\n".join(lines + outcome.details[:15])


def error_text(exc: BaseException) -> str:
    """What the message box says for an error: the user's words for known ones, a pointer to the log otherwise."""
    if isinstance(exc, QBError):
        msg = exc.both() + ("\n" + "\n".join(exc.details[:15]) if exc.details else "")
    else:
        msg = both("unexpected", error=f"{type(exc).__name__}: {exc}")
    return f"{msg}\n\n{text('error_box', 'zh', message='', log=LOG_FILE).strip()}"


def run_in_book(name: str, book, alert) -> int:
    """Run one action on a gateway; report through ``alert(message, title)``. Returns the exit code."""
    from .actions import run

    log = _log()
    try:
        outcome = run(name, book)
        log.info("%s: %s", name, outcome.key)
        alert(outcome_text(outcome), "QualityBook")
        return outcome.exit_code
    except Exception as exc:  # the one place where any error becomes a message for a person
        log.error("%s failed\n%s", name, traceback.format_exc())
        alert(error_text(exc), text("error_title", "zh"))
        return getattr(exc, "exit_code", 1)


def run_action(name: str) -> int:
    """Called from VBA (RunPython) or from ``qualitybook run`` (RunFrozenPython) on the calling workbook."""
    import xlwings as xw

    from .xlbook import XlBook

    book = xw.Book.caller()

    def alert(message, title):
        book.app.alert(message, title=title)

    return run_in_book(name, XlBook(book), alert)
