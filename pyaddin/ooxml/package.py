"""The workbook as a zip of parts, saved so that only the parts we change are rewritten.

Unchanged parts are copied as their original compressed bytes (no inflate/deflate), so
the VBA project, the ribbon, user charts, images and pivot caches come out bit for bit
as they went in, and a save of a 100 MB workbook costs a file copy, not a recompression.
Saves are atomic: a temporary file beside the target, then ``os.replace``; the previous
file is kept as ``NAME.bak``.
"""
from __future__ import annotations

import os
import shutil
import stat
import struct
import tempfile
import zipfile
from pathlib import Path

from ..errors import QBError

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # reproducible builds: no wall-clock time inside the zip


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
        raise QBError("file_locked", path=str(path))


class Package:
    """An OOXML package opened for reading parts and replacing some of them."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not self.path.exists():
            raise QBError("file_not_found", path=str(self.path))
        try:
            self._zip = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as e:
            raise QBError("not_a_workbook", path=str(self.path), reason=str(e)) from None
        self._infos = {i.filename: i for i in self._zip.infolist()}
        self._changed: dict[str, bytes] = {}

    # -- reading
    def names(self) -> list[str]:
        return list(self._infos) + [n for n in self._changed if n not in self._infos]

    def __contains__(self, name: str) -> bool:
        return name in self._changed or name in self._infos

    def read(self, name: str) -> bytes:
        if name in self._changed:
            return self._changed[name]
        return self._zip.read(self._infos[name])

    # -- changing
    def write(self, name: str, data: bytes) -> None:
        if name in self._infos and self._zip.read(self._infos[name]) == data:
            self._changed.pop(name, None)
            return
        self._changed[name] = data

    @property
    def changed(self) -> list[str]:
        return sorted(self._changed)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def save(self, target: str | os.PathLike | None = None, *, backup: bool = True) -> Path | None:
        """Write atomically; return the backup path when one was kept."""
        target = Path(target or self.path)
        ensure_writable(target)
        fd, tmp = tempfile.mkstemp(prefix=".qb-", suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            with open(self.path, "rb") as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
                for name, info in self._infos.items():
                    if name in self._changed:
                        _write_part(out, name, self._changed[name], info.date_time)
                    else:
                        _copy_raw(src, out, info)
                for name, data in self._changed.items():
                    if name not in self._infos:
                        _write_part(out, name, data, FIXED_TIME)
            kept = None
            if backup and target.exists():
                kept = target.with_name(target.name + ".bak")
                shutil.copy2(target, kept)
            if target.exists():
                shutil.copymode(target, tmp)
            os.replace(tmp, target)
            return kept
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _write_part(out: zipfile.ZipFile, name: str, data: bytes, date_time) -> None:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    out.writestr(info, data, compresslevel=6)


def _copy_raw(src, out: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one member's compressed bytes unchanged (the stdlib has no public call for this)."""
    src.seek(info.header_offset)
    header = src.read(30)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    src.seek(name_len + extra_len, os.SEEK_CUR)
    data = src.read(info.compress_size)
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.flag_bits = info.flag_bits & ~0x08  # sizes go in the local header, no data descriptor
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    new.CRC, new.compress_size, new.file_size = info.CRC, info.compress_size, info.file_size
    new.header_offset = out.fp.tell()
    zip64 = new.file_size > zipfile.ZIP64_LIMIT or new.compress_size > zipfile.ZIP64_LIMIT
    out.fp.write(new.FileHeader(zip64))
    out.fp.write(data)
    out.filelist.append(new)
    out.NameToInfo[new.filename] = new
    out.start_dir = out.fp.tell()


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
