"""Errors meant for a person: a message key from ``locale`` and its arguments, shown in both languages."""
from __future__ import annotations

import errno

from .locale import current, text

DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))  # no space left, or over the quota


class QBError(Exception):
    """A problem the user can fix; ``exit_code`` 1 for data problems, 2 for usage."""

    exit_code = 2

    def __init__(self, key: str, *, details: list[str] | None = None, exit_code: int | None = None, **kw):
        self.key, self.kw, self.details = key, kw, details or []
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return text(self.key, lang, **self.kw)

    def say(self) -> str:
        return text(self.key, current(), **self.kw)


def as_known(exc: BaseException) -> QBError | None:
    """The person's words for an error of the machine they can act on (a full disk), else None."""
    if isinstance(exc, QBError):
        return exc
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        return QBError("disk_full")
    return None


class DataProblems(QBError):
    """Bad input: every problem is listed and nothing was written."""

    exit_code = 1
