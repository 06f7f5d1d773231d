"""The one runner: every ribbon button and every command goes through ``execute``.

It owns what each action would otherwise repeat: the writability check, the lock that
keeps a second writer out from the first read to the save, the log row, the save, and
the save.  An action only reads, computes and writes.
"""
from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from . import registry
from .action import Action, Outcome
from .context import Context
from .errors import QBError
from .locale import text


def execute(a: Action, ctx: Context, book, **options) -> Outcome:
    """Run ``a`` on an open gateway: check, run, log, save — or leave the book as it was."""
    from .engine import duck

    if a.writes:
        book.check_writable()
    try:
        out = a.func(ctx, book, **options)
    finally:
        duck.back_home()  # a Spark source's session served this action only
        duck.tidy()  # what the action's relations left to drop, and the copies they pinned
    if a.writes and book.dirty:
        book.log(ctx.now(), ctx.user, a.name, out.log_target, log_sentence(out, book.lang), out.log_result)
        book.save()
    return out


def log_sentence(out: Outcome, lang: str) -> str:
    """What 操作日志 says of an outcome, in the book's language (not the person's: the book is read by others):
    the action's own sentence for the book, else the message it showed."""
    return out.log_detail or text(out.key, lang, **out.kw)


def read_ahead(a: Action) -> list[str]:
    """The tables to read before pandas is in: those the action declares, and the settings and value mapping
    that every data table is parsed with (the header mapping is small and read when needed)."""
    from . import schema

    names = [t for t in a.reads if t != schema.MAPPING.name]
    if any(schema.table(t).role != "config" for t in a.reads):
        names += [t.name for t in (schema.STANDARDS, schema.VALUE_MAPPING) if t.name not in names]
    return names


def run_file(name: str, path: str | Path, ctx: Context | None = None, /, *, date_order: str | None = None,
             prefetch=None, sources: dict[str, str] | None = None, **options) -> Outcome:
    """Run the action ``name`` on the workbook file at ``path`` (the command line's way in).

    A writing action holds the book's lock from before its first read to after its save.  The
    tables it reads start loading at once, before the lock and before pandas is imported; once
    the lock is held, what was read ahead is kept only if the file is still the one read.
    """
    a = registry.get(name)
    ctx = ctx or Context()
    path = Path(path)
    if not path.exists():
        raise QBError("file_not_found", path=str(path))
    if prefetch is None and a.reads:
        from .prefetch import Prefetch

        prefetch = Prefetch(path, read_ahead(a))
    from .lock import BookLock

    with BookLock(path, name) if a.writes else nullcontext():
        if prefetch is not None and not prefetch.still(path):
            prefetch = None  # someone saved the book while we waited for the lock: read it afresh
        if prefetch is not None:
            prefetch.settle()  # a large book: every table read before pandas comes in
        from .book import FileBook

        with FileBook(path, date_order=date_order, prefetch=prefetch) as book:
            book.source_overrides = dict(sources or {})  # --source TABLE=WHERE, over 监控标准's source.<table>
            return execute(a, ctx, book, **options)
