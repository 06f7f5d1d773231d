"""The workbook as actions see it, whoever holds it: ``FileBook`` (a file) or ``XlBook`` (Excel).

Actions are written once against this protocol.  ``tests/test_gateway_contract.py`` runs
one suite of behaviour against both, so that the ribbon and the command line store and
read the same values.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # only for the annotations: this module imports nothing heavy
    import pandas as pd

    from .schema import Table
    from .validate import Parsed


@runtime_checkable
class Gateway(Protocol):
    lang: str  # "zh" or "en": the labels the workbook's headers use
    date_order: str | None  # "dmy"/"mdy" from the command line; None: the workbook's setting

    def has_table(self, table: Table) -> bool: ...

    def sheet_name(self, table: Table) -> str: ...

    def read(self, table: Table, mapping: dict[str, str] | None = None) -> Parsed:
        """The table typed against its schema, with every cell that cannot be read as an issue."""

    def read_many(self, tables: list[Table]) -> dict[str, Parsed]: ...

    def mapping(self, table: Table) -> dict[str, str]:
        """The user's own header mappings for ``table`` (字段映射)."""

    def write(self, table: Table, data: pd.DataFrame) -> None:
        """Replace the table's rows with ``data`` (canonical columns, plus extra ones kept as they came)."""

    def append(self, table: Table, rows: pd.DataFrame) -> None: ...

    def set_cells(self, table: Table, cells: dict[str, object]) -> None:
        """Single cells on the table's sheet outside any table (a dashboard's header line)."""

    def origin(self, table: Table) -> tuple[int, int]:
        """(first column 0-based, header row) of the table where this book holds it: a block's title goes above
        it there, whichever version laid the book out."""

    def place_picture(self, table: Table, png: bytes, name: str) -> None:
        """A picture beside the table (a fishbone), replacing the previous one of that name."""

    def fit_charts(self, table: Table) -> None:
        """Stretch the charts drawn from ``table`` to the rows it now has."""

    def check_writable(self) -> None: ...

    def log(self, at, user: str, action: str, target: str, detail: str, result: str = "ok") -> None: ...

    @property
    def dirty(self) -> bool:
        """Whether anything was written in this run."""

    def save(self): ...

    read_only: bool  # opened read-only in Excel: nothing may be written that the book must record

    def unsaved_changes(self) -> bool:
        """The user's changes not yet saved (Excel); never for a file."""

    def save_in_place(self) -> None:
        """Save now, inside the action (Excel); a file is saved by the runner."""
