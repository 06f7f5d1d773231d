"""One writer at a time per workbook, across processes and machines sharing a drive.

The runner holds the lock from its first read of a book to its save.  The lock is a file
beside the book (``.~qb.NAME.lock``) taken with ``filelock``; beside it a small note says
who holds it, so that the one who waits in vain can be told whom to ask.  A run that was
killed leaves the lock released (the OS drops it) and perhaps a temporary file, which the
next run that takes the lock removes.
"""
from __future__ import annotations

import datetime as dt
import errno
import getpass
import json
import os
import socket
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import DISK_FULL, QBError

WAIT_SECONDS = float(os.environ.get("QUALITYBOOK_LOCK_WAIT", "10"))


def lock_path(book: Path) -> Path:
    return book.with_name(f".~qb.{book.name}.lock")


def holder_path(book: Path) -> Path:
    return book.with_name(f".~qb.{book.name}.holder")


def temp_prefix(book: Path) -> str:
    """Temporary files of a save of ``book`` (see ``ooxml.package``); removed by the next locked run."""
    return f".qb-{book.name}-"


class BookLock:
    """``with BookLock(path, action):`` — wait up to WAIT_SECONDS, then refuse naming the holder."""

    def __init__(self, book: str | os.PathLike, action: str, wait: float | None = None):
        self.book = Path(book)
        self.action = action
        self.wait = WAIT_SECONDS if wait is None else wait
        self._lock = FileLock(str(lock_path(self.book)), timeout=self.wait)

    def __enter__(self):
        lock = lock_path(self.book)
        if lock.is_symlink() or (lock.exists() and not lock.is_file()):  # never follow it, never wait on it
            raise QBError("lock_path_bad", path=str(lock))
        try:
            self._lock.acquire()
        except Timeout:
            raise QBError("book_busy", path=str(self.book), who=self._holder()) from None
        except OSError as e:
            if e.errno in DISK_FULL:
                raise QBError("disk_full") from None
            if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or not os.access(self.book.parent, os.W_OK):
                raise QBError("folder_read_only", folder=str(self.book.parent.resolve())) from None
            raise QBError("file_locked", path=str(self.book)) from None
        note = {"user": getpass.getuser(), "host": socket.gethostname(), "pid": os.getpid(), "action": self.action,
                "since": dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")}
        holder = holder_path(self.book)
        try:
            if not holder.is_symlink():  # never write through a link planted beside the book
                holder.write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass
        self._clean_temporaries()
        return self

    def __exit__(self, *exc):
        try:
            holder_path(self.book).unlink(missing_ok=True)
        except OSError:
            pass
        self._lock.release()  # the lock file stays: removing it under a waiter would let two in

    def _holder(self) -> str:
        try:
            n = json.loads(holder_path(self.book).read_text(encoding="utf-8"))
            return f"{n['user']}@{n['host']} ({n['action']}, {n['since']})"
        except (OSError, ValueError, KeyError):
            return "?"

    def _clean_temporaries(self) -> None:
        for p in self.book.parent.glob(temp_prefix(self.book) + "*.tmp"):
            try:
                p.unlink()
            except OSError:
                pass
