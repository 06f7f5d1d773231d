"""The standards of 监控标准 as the calculation reads them: SLA targets by priority, indicator targets with their
direction and warning band, settings; and an indicator's status against its target."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..schema import SETTING_DEFAULTS, SLA_DEFAULTS, TARGET_DEFAULTS, warning_band


@dataclass
class Standards:
    """Targets and SLA as read from 监控标准 (defaults of DOMAIN.md §4 when a row is missing)."""

    first_response_min: dict[str, float] = field(default_factory=lambda: {p: v[0] for p, v in SLA_DEFAULTS.items()})
    resolution_h: dict[str, float] = field(default_factory=lambda: {p: v[1] for p, v in SLA_DEFAULTS.items()})
    targets: dict[str, tuple[str, float, float]] = field(default_factory=dict)  # metric → (ge|le, target, band)
    settings: dict[str, float] = field(default_factory=dict)
    calendar: pd.DataFrame | None = None  # 工作日历 (date, kind): the working-time clock's holidays and 调休 days
    texts: dict[str, str] = field(default_factory=dict)  # settings that are not numbers (the 取值 column)
    benchmarks: dict[str, float] = field(default_factory=dict)  # metric → 行业参考, where 监控标准 gives one

    def setting(self, key: str):
        """A setting's typed value (pyaddin.settings), its default when missing."""
        from ..settings import typed

        return typed(self.settings, self.texts)[key]

    @property
    def qa_pass_mark(self) -> float:
        return float(self.settings.get("qa_pass_mark", dict(SETTING_DEFAULTS)["qa_pass_mark"]))

    @classmethod
    def from_table(cls, rows: pd.DataFrame) -> Standards:
        std = cls(
            targets={m: (d, float(t), warning_band(m, t)) for m, d, t in TARGET_DEFAULTS},
            settings={k: float(v) for k, v in SETTING_DEFAULTS},
        )
        for r in rows.itertuples(index=False):
            if r.kind == "setting" and isinstance(getattr(r, "text", None), str):
                std.texts[r.key] = r.text
            if r.kind == "target" and not pd.isna(getattr(r, "benchmark", None)):
                std.benchmarks[r.key] = float(r.benchmark)
            if pd.isna(r.value):
                continue
            if r.kind == "sla_first_response":
                std.first_response_min[r.key] = float(r.value)
            elif r.kind == "sla_resolution":
                std.resolution_h[r.key] = float(r.value)
            elif r.kind == "target":
                band = float(r.warning_band) if not pd.isna(r.warning_band) else warning_band(r.key, r.value)
                direction = r.direction if isinstance(r.direction, str) and r.direction else "ge"  # blank: NaN
                std.targets[r.key] = (direction, float(r.value), band)
            elif r.kind in ("setting", "weight"):
                std.settings[r.key] = float(r.value)
        return std


def status(value, target: tuple[str, float, float] | None) -> str | None:
    """met / warning (within the band on the wrong side) / missed; None without a value or a target."""
    if target is None or value is None or pd.isna(value):
        return None
    direction, goal, band = target
    gap = value - goal if direction == "ge" else goal - value
    if gap >= 0:
        return "met"
    return "warning" if gap >= -band else "missed"

