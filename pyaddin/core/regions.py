"""The region breakdown (DOMAIN.md §3: 某区域服务响应时间持续较长), computed as the department breakdown is.

A survey or an inspection carries no region: it takes its ticket's (the view joins it in the engine), so that
every metric, sample size and rule of the department breakdown holds for regions without a second
implementation.
"""
from __future__ import annotations

from . import kpi


def by_region(v: kpi.View) -> dict | None:
    """Every KPI by region, as ``kpi.result`` gives them by department; None when no ticket carries a region."""
    return kpi.result(v, ("region",))["by_region"] if v.regions else None
