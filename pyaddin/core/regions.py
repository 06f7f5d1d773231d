"""The region breakdown (DOMAIN.md §3: 某区域服务响应时间持续较长), computed as the department breakdown is.

A survey or an inspection carries no region: it takes its ticket's.  The region view is the period's view with
each row's region standing where the department stands, so that every metric, sample size and rule of the
department breakdown holds for regions without a second implementation.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from . import kpi


def region_view(v: kpi.View) -> kpi.View | None:
    """The view grouped by region in its department column; None when no ticket carries a region."""
    if "region" not in v.tickets or v.tickets["region"].isna().all():
        return None
    own = v.tickets.drop_duplicates("ticket_id").set_index("ticket_id")["region"]

    def relabel(frame: pd.DataFrame, carries: bool) -> pd.DataFrame:
        if not len(frame):
            return frame
        region = frame["region"] if carries else frame["ticket_id"].map(own)
        return frame.assign(department=region)
    return dataclasses.replace(v, tickets=relabel(v.tickets, True), t=relabel(v.t, True), s=relabel(v.s, False),
                               i=relabel(v.i, False))


def by_region(v: kpi.View) -> dict | None:
    """Every KPI by region, as ``kpi.result`` gives them by department; None without regions."""
    rv = region_view(v)
    return None if rv is None else kpi.result(rv, ("department",))["by_department"]
