"""The one place where the actions declared beside their implementations are assembled.

The ribbon, the ``run`` command and every CLI command look actions up here.  Order: by
ribbon group, then as declared.
"""
from __future__ import annotations

from .action import GROUPS, Action
from .ops import alerts, appraisal, data, departments, feedback, improve, kpi, monitoring, pareto, report, settings

_MODULES = (data, monitoring, settings, kpi, pareto, alerts, improve, feedback, departments, appraisal, report)


def _assemble() -> dict[str, Action]:
    found = [v for m in _MODULES for v in vars(m).values() if isinstance(v, Action)]
    names = [a.name for a in found]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise RuntimeError(f"actions declared twice: {sorted(dupes)}")
    return {a.name: a for a in sorted(found, key=lambda a: GROUPS.index(a.group))}


ACTIONS: dict[str, Action] = _assemble()


def get(name: str) -> Action:
    from .errors import QBError

    if name not in ACTIONS:
        raise QBError("unknown_action", name=name, known=", ".join(ACTIONS))
    return ACTIONS[name]
