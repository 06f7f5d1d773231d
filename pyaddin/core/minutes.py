"""Times written to the minute (DOMAIN.md §3): a column none of whose values carries seconds is minute-precision,
and when either side of a comparison or a duration comes from such a column, both sides are floored to the minute:
a response written 17:02 to a ticket created 17:02:10 came in the same minute, not before it, and took 0 minutes."""
from __future__ import annotations

import pandas as pd


def minute_precision(col: pd.Series) -> bool:
    """True when every filled value is at a whole minute (written without seconds, or all at :00)."""
    filled = col.dropna()
    if filled.empty or not pd.api.types.is_datetime64_any_dtype(filled.dtype):
        return False
    return bool((filled == filled.dt.floor("min")).all())


def at_the_minute(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``a`` and ``b`` as they should be compared: both floored to the minute when either is minute-precision."""
    if minute_precision(a) or minute_precision(b):
        return a.dt.floor("min"), b.dt.floor("min")
    return a, b
