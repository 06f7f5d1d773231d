"""The workbook as a zip of parts, saved so that only the parts we change are rewritten.

Unchanged parts are copied as their original compressed bytes (no inflate/deflate), so
the VBA project, the ribbon, user charts, images and pivot caches come out bit for bit
as they went in, and a save of a 100 MB workbook costs a file copy, not a recompression.
Large parts are streamed into the zip from their producer, never held whole.  Saves are
atomic: a temporary file beside the target, then ``os.replace``, only if the file on disk
is still the one that was read; the previous file is kept as ``NAME.bak``.
"""
from __future__ import annotations

import os
import shutil
import stat
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import QBError
from ..lock import temp_prefix

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # reproducible builds: no wall-clock time inside the zip
STREAM_LEVEL = 1  # deflate level of streamed (large) parts: a third of the time of level 6, ~10 % larger


def lock_files(path: Path) -> list[Path]:
    """Owner files Excel (``~$name``) and LibreOffice (``.~lock.name#``) leave while a book is open."""
    return [p for p in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")) if p.exists()]


def ensure_writable(path: Path) -> None:
    """Refuse, before any work, a target that is open elsewhere or read-only."""
    if lock_files(path):
        raise QBError("file_locked", path=str(path))
    if path.exists():
        if not os.access(path, os.W_OK) or not (path.stat().st_mode & stat.S_IWUSR):
            raise QBError("file_locked", path=str(path))
        try:
            with open(path, "r+b"):
                pass
        except OSError:
            raise QBError("file_locked", path=str(path)) from None
    if not os.access(path.parent, os.W_OK):
        raise QBError("folder_read_only", folder=str(path.parent.resolve()))


def identity(path: Path) -> tuple:
    """What tells one version of a file from the next (size, modification time, inode)."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


class Package:
    """An OOXML package opened for reading parts and replacing some of them."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not self.path.exists():
            raise QBError("file_not_found", path=str(self.path))
        self.identity = identity(self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as e:
            raise QBError("not_a_workbook", path=str(self.path), reason=str(e)) from None
        self._infos = {i.filename: i for i in self._zip.infolist()}
        self._changed: dict[str, bytes] = {}
        self._streams: dict[str, Callable[[], Iterable[bytes]]] = {}
        self._dropped: set[str] = set()

    # -- reading
    def __contains__(self, name: str) -> bool:
        return name not in self._dropped and (name in self._changed or name in self._streams or name in self._infos)

    def read(self, name: str) -> bytes:
        if name in self._streams:  # a second change to a streamed part: materialise it once
            self._changed[name] = b"".join(bytes(c) for c in self._streams.pop(name)())
        if name in self._changed:
            return self._changed[name]
        if name in self._dropped:
            raise KeyError(name)
        return self._zip.read(self._infos[name])

    def directory(self) -> dict[str, zipfile.ZipInfo]:
        """The zip's central directory as read (each part's CRC-32 and size): what the columnar copies are keyed on."""
        return self._infos

    def find(self, name: str, needle: bytes, chunk: int = 1 << 24) -> bool:
        """Whether a part holds ``needle``, read in chunks: a large sheet is never inflated whole for it."""
        if name in self._changed or name in self._streams:
            return needle in self.read(name)
        tail = b""
        with self._zip.open(self._infos[name]) as f:
            while block := f.read(chunk):
                if needle in tail + block[:len(needle)] or needle in block:
                    return True
                tail = block[-len(needle):]
        return False

    # -- changing
    def write(self, name: str, data: bytes) -> None:
        self._streams.pop(name, None)
        self._dropped.discard(name)
        if name in self._infos and self._zip.read(self._infos[name]) == data:
            self._changed.pop(name, None)
            return
        self._changed[name] = data

    def write_stream(self, name: str, producer: Callable[[], Iterable[bytes]]) -> None:
        """A part whose bytes ``producer()`` yields in chunks when the package is saved."""
        self._changed.pop(name, None)
        self._dropped.discard(name)
        self._streams[name] = producer

    def let_go_of_streams(self) -> None:
        """After a save: the streamed parts' producers hold every written cell (a million rows of columns);
        the saved file has them now, and nothing reads a streamed part back from the package."""
        self._streams = dict.fromkeys(self._streams, _saved)

    def drop(self, name: str) -> None:
        self._changed.pop(name, None)
        self._streams.pop(name, None)
        if name in self._infos:
            self._dropped.add(name)

    def changed_parts(self) -> set[str]:
        return set(self._changed) | set(self._streams) | self._dropped

    @property
    def dirty(self) -> bool:
        return bool(self._changed or self._streams or self._dropped)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def save(self, target: str | os.PathLike | None = None, *, backup: bool = True) -> Path | None:
        """Write atomically; return the backup path when one was kept.

        Refuses when the file on disk is no longer the one this package read: someone else
        saved it meanwhile, and replacing it would lose their changes.
        """
        target = Path(target or self.path)
        ensure_writable(target)
        if target == self.path and (not target.exists() or identity(target) != self.identity):
            raise QBError("book_changed", path=str(target))
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            with open(self.path, "rb") as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
                for name, info in self._infos.items():
                    if name in self._dropped:
                        continue
                    if name in self._streams:
                        _stream_part(out, name, self._streams[name](), info.date_time)
                    elif name in self._changed:
                        _write_part(out, name, self._changed[name], info.date_time)
                    else:
                        _copy_raw(src, out, info)
                for name, data in self._changed.items():
                    if name not in self._infos:
                        _write_part(out, name, data, FIXED_TIME)
                for name, producer in self._streams.items():
                    if name not in self._infos:
                        _stream_part(out, name, producer(), FIXED_TIME)
            flush_to_disk(tmp)
            kept = None
            if backup and target.exists():
                kept = target.with_name(target.name + ".bak")
                durable_copy(target, kept)
            if target.exists():
                shutil.copymode(target, tmp)
            if target == self.path and identity(target) != self.identity:  # a last look before replacing
                raise QBError("book_changed", path=str(target))
            os.replace(tmp, target)
            flush_folder(target.parent)
            return kept
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


BIG_PART = 1 << 20  # bytes from which a part kept as it is is copied in the kernel


def _saved():
    raise RuntimeError("this part was streamed into a file already saved")


def flush_to_disk(path) -> None:
    """Wait until the file's bytes are on the disk: renamed over the old one only then, a crash or a power
    cut leaves the old file or the new one, never an empty or truncated one."""
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def flush_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); Windows has no handle on a folder for this."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems (network shares) cannot: the rename stands, only its durability waits
        pass
    finally:
        os.close(fd)


def durable_copy(src: Path, dst: Path) -> None:
    """Copy ``src`` over ``dst`` through a temporary name, flushed, then renamed: the last good ``dst`` stays
    until the new one is complete (a full disk or a crash mid-copy leaves it as it was)."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(src), suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copy2(src, tmp)
        flush_to_disk(tmp)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_part(out: zipfile.ZipFile, name: str, data: bytes, date_time) -> None:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    out.writestr(info, data, compresslevel=6)


def _stream_part(out: zipfile.ZipFile, name: str, chunks: Iterable[bytes], date_time) -> None:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    for attr in ("_compresslevel", "compress_level"):  # renamed in Python 3.13
        if hasattr(info, attr):
            setattr(info, attr, STREAM_LEVEL)
    with out.open(info, "w", force_zip64=True) as w:
        for chunk in _ahead(chunks):
            w.write(chunk)


def _ahead(chunks: Iterable[bytes], depth: int = 2):
    """The chunks, made on a thread of their own while the previous ones are compressed (both let go of
    the GIL: Arrow builds the XML, zlib deflates it), so a large sheet takes the time of the slower one."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done, stop = object(), threading.Event()
    failed: list[BaseException] = []

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make():
        try:
            for c in chunks:
                if not put(c):
                    return  # the writer gave up (a failed save): stop making
        except BaseException as e:  # noqa: BLE001 — handed to the writing thread, raised there
            failed.append(e)
        put(done)
    threading.Thread(target=make, daemon=True).start()
    try:
        while (c := q.get()) is not done:
            yield c
    finally:
        stop.set()
    if failed:
        raise failed[0]


def _copy_raw(src, out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one member's compressed bytes unchanged (the stdlib has no public call for this)."""
    src.seek(info.header_offset)
    header = src.read(30)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.flag_bits = info.flag_bits & ~0x08  # sizes go in the local header, no data descriptor
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    new.CRC, new.compress_size, new.file_size = info.CRC, info.compress_size, info.file_size
    new.header_offset = out.fp.tell()
    zip64 = new.file_size > zipfile.ZIP64_LIMIT or new.compress_size > zipfile.ZIP64_LIMIT
    out.fp.write(new.FileHeader(zip64))
    _copy_bytes(src, out.fp, start, info.compress_size)
    out.filelist.append(new)
    out.NameToInfo[new.filename] = new
    out.start_dir = out.fp.tell()


def _copy_bytes(src, dst, offset: int, length: int) -> None:
    """``length`` bytes of ``src`` from ``offset`` appended to ``dst``: for a large part in the kernel
    (``os.copy_file_range``: no trip through Python, a sheet of a million rows in a few hundredths of a second),
    otherwise (another system, another file system) read and written a slice at a time."""
    if length >= BIG_PART and hasattr(os, "copy_file_range"):
        dst.flush()
        at, done = dst.tell(), 0
        try:
            while done < length:
                step = os.copy_file_range(src.fileno(), dst.fileno(), length - done, offset + done, at + done)
                if step <= 0:
                    break
                done += step
        except OSError:
            pass
        dst.seek(at + done)
        offset, length = offset + done, length - done
    src.seek(offset)
    while length > 0:
        chunk = src.read(min(length, 1 << 24))
        if not chunk:
            raise zipfile.BadZipFile("a part ends before its recorded size")
        dst.write(chunk)
        length -= len(chunk)


def normalise_zip(data_in: Path, data_out: Path, first: tuple[str, ...] = ("[Content_Types].xml",),
                  replace: dict[str, bytes] | None = None) -> None:
    """Rewrite a package with fixed timestamps and a fixed part order: identical input, identical bytes."""
    replace = dict(replace or {})
    with zipfile.ZipFile(data_in) as z:
        names = z.namelist()
        parts = {n: replace.pop(n, None) for n in names}
        for n in list(parts):
            if parts[n] is None:
                parts[n] = z.read(n)
    parts.update(replace)
    order = [n for n in first if n in parts] + sorted(n for n in parts if n not in first)
    with zipfile.ZipFile(data_out, "w", zipfile.ZIP_DEFLATED) as out:
        for n in order:
            _write_part(out, n, parts[n], FIXED_TIME)
