"""The one registry of actions: every ribbon button and every CLI command runs one of these.

The ribbon is generated from this list, so a button without an action (or an action
without a button) cannot exist.  An action is a function of a book gateway (``FileBook``
headless, ``XlBook`` from Excel) and keyword options; it returns an ``Outcome``.
Actions of later stages are declared ``planned``: their buttons show, greyed out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

GROUPS = ("data", "analysis", "improvement", "departments", "appraisal", "reports")


@dataclass
class Outcome:
    """What an action reports: a message key of ``locale`` with its arguments, and an exit code."""

    key: str
    kw: dict = field(default_factory=dict)
    exit_code: int = 0
    details: list[str] = field(default_factory=list)
    data: object = None


@dataclass
class Action:
    name: str
    group: str
    icon: str  # an imageMso name: Office's own icon, no image files to ship
    func: Callable | None = None
    asks_file: bool = False  # from Excel the action asks the user for a file

    @property
    def planned(self) -> bool:
        return self.func is None


REGISTRY: dict[str, Action] = {a.name: a for a in (
    Action("import_tickets", "data", "ImportTextFile", asks_file=True),
    Action("import_surveys", "data", "ImportExcel", asks_file=True),
    Action("import_inspections", "data", "ImportAccess", asks_file=True),
    Action("check", "data", "ReviewAcceptChange"),
    Action("kpi", "analysis", "ChartTypeLineInsertGallery"),
    Action("pareto", "analysis", "ChartTypeColumnInsertGallery"),
    Action("rootcause", "improvement", "DiagramCycleInsertClassic"),
    Action("track", "improvement", "TaskMarkComplete"),
    Action("dispatch", "departments", "FileSendAsAttachment"),
    Action("collect", "departments", "MergeWorkbooks"),
    Action("appraisal", "appraisal", "ReviewTrackChanges"),
    Action("report", "reports", "FileSaveAsPdfOrXps"),
)}


def implements(name: str):
    """Attach the implementation of a registered action."""
    def wrap(func):
        REGISTRY[name].func = func
        return func
    return wrap


def load() -> dict[str, Action]:
    """The registry with every implementation attached."""
    from .ops import data, kpi  # noqa: F401  (registers the implementations)

    return REGISTRY


def run(name: str, book, **options) -> Outcome:
    from .errors import QBError
    from .locale import action_text

    actions = load()
    if name not in actions:
        raise QBError("unknown_action", name=name)
    a = actions[name]
    if a.planned:
        return Outcome("planned_action", {"label": action_text(name, "zh")[0] + " / " + action_text(name, "en")[0]})
    return a.func(book, **options)
