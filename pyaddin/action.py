"""What an action is: a ribbon button and a CLI command over one function of a context and a book.

An action declares, beside its implementation, the tables it reads and the tables it writes.
The runner uses ``reads`` to start reading before pandas is imported, ``writes`` to know
whether to take the book's lock, log and save; the lossless test checks, for every action,
that no part outside its ``writes`` changes.  Nothing here imports an implementation, so the
modules that declare actions and the registry that assembles them never import each other.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

GROUPS = ("data", "analysis", "improvement", "departments", "appraisal", "reports")


@dataclass
class Outcome:
    """What an action reports: a message key of ``locale`` with its arguments, and an exit code."""

    key: str
    kw: dict = field(default_factory=dict)
    exit_code: int = 0
    details: list[str] = field(default_factory=list)
    data: object = None
    log_target: str = ""  # what the 操作日志 row names and says; the runner writes it
    log_detail: str = ""  # a sentence in the book's language (``text(key, book.lang)``); empty: the message shown
    log_result: str = "ok"  # a key of ``schema.LOG_RESULT``; the log shows its label


@dataclass(frozen=True)
class Action:
    name: str
    group: str
    icon: str  # an imageMso name: Office's own icon, no image files to ship
    func: Callable  # func(ctx, book, **options) -> Outcome
    reads: tuple[str, ...] = ()  # table names read (prefetched before pandas is imported)
    writes: tuple[str, ...] = ()  # table names written; empty: the action never saves
    ribbon: bool = True  # False: a command only (bringing existing worklists in)


def action(name: str, *, group: str, icon: str, reads=(), writes=(), ribbon: bool = True):
    """Declare the decorated function as the action ``name``; the module keeps the ``Action``."""
    if group not in GROUPS:
        raise ValueError(f"unknown ribbon group {group!r}")

    def wrap(func: Callable) -> Action:
        return Action(name, group, icon, func, tuple(reads), tuple(writes), ribbon)
    return wrap

