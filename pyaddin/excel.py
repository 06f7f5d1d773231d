"""Entry point for the ribbon: ``RunPython "import pyaddin.excel; pyaddin.excel.run_action('kpi')"``.

A person clicking a button sees a message box in Chinese (with the English beside it),
never a raw traceback; the traceback goes to a log file whose path the box shows.
"""
from __future__ import annotations

from pathlib import Path

from .errors import QBError, as_known
from .locale import current, say, text
from .logfile import LOG_FILE, log, log_failure

BOX_LINES = 15


def outcome_text(outcome) -> str:
    return "\n".join([say(outcome.key, **outcome.kw)] + outcome.details[:BOX_LINES])


def error_text(exc: BaseException) -> str:
    """What a person reads for an error: the user's words for known ones, a pointer to the log otherwise."""
    exc = as_known(exc) or exc
    if isinstance(exc, QBError):
        msg = exc.say() + ("\n" + "\n".join(exc.details[:BOX_LINES]) if exc.details else "")
    else:
        msg = say("unexpected", error=f"{type(exc).__name__}: {exc}")
    where = text("error_box", current(), message="", log=LOG_FILE).strip()
    return f"{msg}\n\n{where}"


def excel_context(app):
    """The ribbon's context: file and folder pickers and yes/no questions are Excel's own dialogs."""
    from .context import Context

    def ask_file(title):
        path = app.api.GetOpenFilename("Data (*.csv;*.xlsx;*.xls),*.csv;*.xlsx;*.xls", 1, title)
        return path if isinstance(path, str) and path not in ("False", "") else None

    def ask_folder(title):
        dialog = app.api.FileDialog(4)  # msoFileDialogFolderPicker
        dialog.Title = title
        return dialog.SelectedItems(1) if dialog.Show() == -1 else None

    def confirm(question):
        return app.alert(question, title="QualityBook", buttons="yes_no") == "yes"

    def export_pdf(xlsx):
        """Excel prints the report as it prints any workbook (page setup, headers and footers of the sheet);
        xlwings' open-source ``Book.to_pdf`` (ExportAsFixedFormat)."""
        pdf = Path(xlsx).with_suffix(".pdf")
        other = app.books.open(str(xlsx))
        try:
            other.to_pdf(str(pdf))
        finally:
            other.close()
        return pdf

    return Context(surface="excel", ask_file=ask_file, ask_folder=ask_folder, confirm=confirm,
                   export_pdf=export_pdf)


def run_in_book(name: str, book, ctx, alert) -> int:
    """Run one action on a gateway; report through ``alert(message, title)``. Returns the action's exit code."""
    from .registry import get
    from .runner import execute

    try:
        outcome = execute(get(name), ctx, book)
        log().info("%s: %s", name, outcome.key)
        alert(outcome_text(outcome), "QualityBook")
        return outcome.exit_code
    except Exception as exc:  # the one place where any error becomes a message for a person
        log_failure(name, exc)
        alert(error_text(exc), text("error_title", current()))
        return getattr(exc, "exit_code", 1)


def run_action(name: str) -> int:
    """Called from VBA (RunPython) or from ``qualitybook run`` (RunFrozenPython) on the calling workbook."""
    import xlwings as xw

    from .xlbook import XlBook

    book = xw.Book.caller()

    def alert(message, title):
        book.app.alert(message, title=title)

    return run_in_book(name, XlBook(book), excel_context(book.app), alert)
