"""Every indicator of DOMAIN.md §4, on pandas frames: no Excel, no files.

Each ticket gets its flags once (SLA met / breached, first-contact resolution, complete
record…); every breakdown is then a group-by sum of those flags, so the overall figure
and the per-channel, per-department and per-agent figures share one definition and one
pass over the data, fast enough for a million tickets.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine import duck, metrics, timing
from ..engine.rows import Rows, of_frame, temp_table
from ..schema import HEADLINE_KEYS, SETTING_DEFAULTS, SLA_DEFAULTS, TARGET_DEFAULTS, warning_band
from . import clock

METRICS = ("tickets", "first_response_sla_pct", "resolution_sla_pct", "median_first_response_min",
           "p90_first_response_min", "median_resolution_h", "fcr_pct", "reopen_rate_pct", "complaint_rate_pct",
           "record_completeness_pct", "backlog", "csat_pct", "nps", "qa_score_pct", "qa_fail_rate_pct",
           "complaint_first_response_sla_pct")
DIMENSIONS = ("channel", "department", "agent")


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


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp  # first day, 00:00
    end: pd.Timestamp  # exclusive: the start of the day after the last day
    as_of: pd.Timestamp

    def as_json(self) -> dict:
        return {"start": self.start.date().isoformat(), "end": (self.end - pd.Timedelta(days=1)).date().isoformat(),
                "as_of": self.as_of.isoformat()}


def period(start, last_day, as_of=None) -> Period:
    s = pd.Timestamp(start).normalize()
    e = pd.Timestamp(last_day).normalize() + pd.Timedelta(days=1)
    return Period(s, e, pd.Timestamp(as_of) if as_of is not None else e)


def month_period(ym: str, as_of=None) -> Period:
    s = pd.Timestamp(ym + "-01")
    return period(s, s + pd.offsets.MonthEnd(0), as_of)


def quarter_period(q: str, as_of=None) -> Period:
    year, n = int(q[:4]), int(q[-1])
    s = pd.Timestamp(year=year, month=3 * n - 2, day=1)
    return period(s, s + pd.offsets.QuarterEnd(0), as_of)


def week_period(w: str, as_of=None) -> Period:
    """An ISO week, ``2026-W38``: Monday to Sunday."""
    year, n = w.upper().split("-W")
    s = pd.Timestamp.fromisocalendar(int(year), int(n), 1)
    return period(s, s + pd.Timedelta(days=6), as_of)


def year_period(y: str, as_of=None) -> Period:
    s = pd.Timestamp(year=int(y), month=1, day=1)
    return period(s, s + pd.offsets.YearEnd(0), as_of)


def previous_period(p: Period) -> Period:
    """The period to compare with: the months before when the period is whole calendar months (September →
    August, Q3 → Q2), else as many days just before."""
    if p.start.day == 1 and p.end.day == 1:
        months = (p.end.year - p.start.year) * 12 + p.end.month - p.start.month
        return period(p.start - pd.DateOffset(months=months), p.start - pd.Timedelta(days=1))
    return period(p.start - (p.end - p.start), p.start - pd.Timedelta(days=1))


def headline(now: dict, before: dict, std: Standards, keys=HEADLINE_KEYS) -> list[dict]:
    """The main indicators as a manager reads them: value, target, status, the previous period and the change
    (None wherever a side has no data, never 0).  ``keys``: the phone line's card row passes its own."""
    rows = []
    for m in keys:
        value, old, target = now.get(m), before.get(m), std.targets.get(m)
        rows.append({"metric": m, "value": value, "target": target[1] if target else None,
                     "direction": target[0] if target else None, "band": target[2] if target else None,
                     "status": status(value, target), "previous": old, "benchmark": std.benchmarks.get(m),
                     "change": None if value is None or old is None else value - old})
    return rows


def last_month_with_tickets(created: pd.Series, as_of=None) -> Period | None:
    """The last calendar month that holds tickets (None when there are none)."""
    latest = created.max()
    if pd.isna(latest):
        return None
    return month_period(latest.strftime("%Y-%m"), as_of)


def is_major_or_minor(t: pd.DataFrame) -> pd.Series:
    """A filled complaint level makes the ticket a complaint, whatever its complaint flag says (DOMAIN.md §3)."""
    return t["complaint_level"].notna() if "complaint_level" in t else pd.Series(False, index=t.index)


def major_complaint(t: pd.DataFrame) -> pd.Series:
    """重大投诉: the complaints whose level is major; each opens a problem of its own and costs points (§6, §9)."""
    return (t["complaint_level"] == "major").fillna(False).astype(bool) if "complaint_level" in t \
        else pd.Series(False, index=t.index)


UNASSIGNED = "未分配"  # the by-agent group of rows without an agent; never appraised

# metric → (table, the columns it needs): a metric is empty when its table supplied none of them; a tuple inside
# names alternatives (a ticket is resolved by its resolution time or, where that is blank, by its status)
RESOLUTION = ("resolved_at", "status")
NEEDS = {
    "first_response_sla_pct": ("tickets", ("first_response_at",)),
    "median_first_response_min": ("tickets", ("first_response_at",)),
    "p90_first_response_min": ("tickets", ("first_response_at",)),
    "resolution_sla_pct": ("tickets", ("resolved_at",)),
    "median_resolution_h": ("tickets", ("resolved_at",)),
    "fcr_pct": ("tickets", (RESOLUTION, "contacts")),
    "reopen_rate_pct": ("tickets", (RESOLUTION, "reopened")),
    "complaint_rate_pct": ("tickets", (("is_complaint", "complaint_level"),)),
    "complaint_first_response_sla_pct": ("tickets", ("first_response_at", ("is_complaint", "complaint_level"))),
    "record_completeness_pct": ("tickets", ("agent", "category", "resolution_note")),
    "backlog": ("tickets", (RESOLUTION,)),
    "csat_pct": ("surveys", ("csat",)),
    "nps": ("surveys", ("nps",)),
}


def _supplied(filled: dict[str, int], column) -> bool:
    if isinstance(column, tuple):
        return any(_supplied(filled, c) for c in column)
    return filled.get(column, 0) > 0


def missing_metrics(filled: dict[str, dict[str, int] | None]) -> set[str]:
    """Metrics whose data the exports never supplied: a needed column blank in every row of its table (``filled``:
    per table, how many rows fill each column; None for a table not given).

    Such a metric is empty (无数据), never 0 % or 100 % (DOMAIN.md §4)."""
    out = set()
    for metric, (table, columns) in NEEDS.items():
        f = filled.get(table)
        if f is None or not all(_supplied(f, c) for c in columns):
            out.add(metric)
    tickets = filled.get("tickets")
    if tickets is not None and all(_supplied(tickets, c) for c in RESOLUTION):
        out.discard("reopen_rate_pct")  # a resolution time beside an open status says the ticket was reopened
    return out


def unsupplied(frames: dict[str, pd.DataFrame]) -> set[str]:
    """``missing_metrics`` of pandas frames."""
    return missing_metrics({k: {c: int(f[c].notna().sum()) for c in f.columns} for k, f in frames.items()})


DONE_STATUSES, OPEN_STATUSES = metrics.DONE_STATUSES, metrics.OPEN_STATUSES


def status_decides(tickets: pd.DataFrame, as_of: pd.Timestamp) -> bool:
    """The status is a snapshot taken when the export was made: it decides only for an ``as_of`` at or after the
    latest time in the data; for an earlier ``as_of`` only ``resolved_at`` does (DOMAIN.md §3)."""
    if "status" not in tickets or tickets["status"].isna().all():
        return False
    times = [tickets[c].max() for c in ("created_at", "first_response_at", "resolved_at") if c in tickets]
    latest = max((x for x in times if pd.notna(x)), default=None)
    return latest is None or as_of >= latest


def _grouped(sql, frame: pd.DataFrame, keys) -> pd.DataFrame:
    """Run a group query of ``engine.metrics`` over ``frame`` with ``keys`` (a Series, or None for one overall
    group) as its column ``key``; the result indexed by the key, sorted."""
    rel = frame.assign(key=0 if keys is None else keys)
    out = duck.query(sql, rows=rel).set_index("key")
    out.index.name = None
    return out


def _column(t: pd.DataFrame, name: str, dtype) -> pd.Series:
    """A column as the SQL reads it; text stays Arrow text (pandas' ``str``) or becomes it in one C pass, never
    a Python object per row (``astype("string")`` of an object column costs 50 ms a million rows, a query each)."""
    if dtype == SCORE:
        return pd.to_numeric(t[name], errors="coerce").astype(float) if name in t \
            else pd.Series(np.nan, index=t.index, dtype=float)
    if name not in t:
        return pd.Series(None, index=t.index, dtype=dtype)
    col = t[name]
    if dtype == "string" and (pd.api.types.is_string_dtype(col.dtype) and col.dtype != object):
        return col  # Arrow text already
    if dtype == "string" and col.dtype == object:
        import pyarrow as pa

        try:
            return pd.Series(pd.arrays.ArrowStringArray(pa.array(col.to_numpy(), type=pa.large_string(),
                                                                 from_pandas=True)), index=t.index)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass  # not all text: pandas' own conversion
    return col.astype(dtype)


# ----------------------------------------------------------------------------- the rows the engine reads

TEXT, TIME, NUMBER, YES_NO = "string", "datetime64[ns]", "Float64", "boolean"
TICKET_COLUMNS = {"ticket_id": TEXT, "created_at": TIME, "first_response_at": TIME, "resolved_at": TIME,
                  "channel": TEXT, "department": TEXT, "agent": TEXT, "priority": TEXT, "category": TEXT,
                  "status": TEXT, "is_complaint": YES_NO, "complaint_level": TEXT, "contacts": NUMBER,
                  "reopened": YES_NO, "resolution_note": TEXT, "region": TEXT}
SCORE = "score"  # a number where the cell reads as one, else blank (a dimension's score, 1–5)
SURVEY_COLUMNS = {"ticket_id": TEXT, "submitted_at": TIME, "csat": "float64", "nps": "float64", "comment": TEXT,
                  "channel": TEXT,
                  "department": TEXT, "agent": TEXT, "attitude": SCORE, "speed": SCORE, "resolution": SCORE,
                  "wait": SCORE}
INSPECTION_COLUMNS = {"inspection_id": TEXT, "inspected_at": TIME, "ticket_id": TEXT, "score": "float64",
                      "max_score": "float64", "critical": YES_NO, "department": TEXT, "agent": TEXT}


def rows_of(frame, columns: dict) -> Rows:
    """The workbook's frame as the engine's rows (its columns as SQL reads them); an outside source's rows as
    they are."""
    if isinstance(frame, Rows):
        return frame
    return of_frame(frame, {c: (lambda f, c=c, d=d: _column(f, c, d)) for c, d in columns.items()})


def _profile(tickets: Rows) -> dict:
    """What the calculation must know of the whole ticket table, in one pass (``engine.timing.profile_sql``)."""
    return duck.row(timing.profile_sql(tickets.sql, tuple(c for c in TICKET_COLUMNS if tickets.has(c))))


def _decides(profile: dict, as_of: pd.Timestamp) -> bool:
    if not profile.get("filled__status"):
        return False
    times = [profile[f"max__{c}"] for c in ("created_at", "first_response_at", "resolved_at")]
    latest = max((pd.Timestamp(x) for x in times if x is not None), default=None)
    return latest is None or as_of >= latest


def _timed_sql(tickets: Rows, profile: dict, std: Standards, as_of: pd.Timestamp, where: str,
               keep: tuple[str, ...]) -> tuple[str, object]:
    """The SQL of ``tickets`` meeting ``where`` with their times and targets on the workbook's SLA clock
    (``engine.timing``: calendar or working minutes, at the minute where the export writes minutes; complaints held
    to the stricter target), each row with the columns ``keep``; and the day table it reads as ``days__``."""
    times = [pd.Timestamp(profile[f"{m}__{c}"]) for m in ("min", "max")
             for c in ("created_at", "first_response_at", "resolved_at") if profile[f"{m}__{c}"] is not None]
    plan, days = clock.timing(std, as_of, profile["minute__first_response_at"] or profile["minute__created_at"],
                              profile["minute__resolved_at"] or profile["minute__created_at"],
                              min([*times, as_of]), max([*times, as_of]))
    rows = tickets.sql if where == "TRUE" else f"(SELECT * FROM {tickets.sql} WHERE {where})"
    return timing.sla_sql(rows, "days__", plan, tuple(dict.fromkeys((*keep, *FLAG_INPUTS)))), days


FLAG_INPUTS = ("status", "resolved_at", "is_complaint", "complaint_level", "contacts", "reopened", "resolution_note",
               "agent", "category")  # what ``engine.metrics.ticket_flags_sql`` reads besides the times


def _flags_sql(tickets: Rows, profile: dict, std: Standards, as_of: pd.Timestamp, decides: bool, where: str,
               keep: tuple[str, ...]) -> tuple[str, object]:
    """The flags of ``tickets`` meeting ``where`` (``engine.metrics.ticket_flags_sql`` over ``_timed_sql``), each
    row with the columns ``keep``; and the day table."""
    timed, days = _timed_sql(tickets, profile, std, as_of, where, keep)
    return metrics.ticket_flags_sql(f"({timed}) timed", decides, keep), days


def timed_tickets(t: pd.DataFrame, std: Standards, as_of: pd.Timestamp) -> pd.DataFrame:
    """The columns ``engine.metrics.ticket_flags_sql`` reads, as a frame on ``t``'s index: the tickets' own, and
    their times and targets on the workbook's SLA clock."""
    rows = rows_of(t, TICKET_COLUMNS)
    sql, days = _timed_sql(rows, _profile(rows), std, as_of, "TRUE", ("row__",))
    return duck.query(sql + " ORDER BY row__", days__=days).drop(columns="row__").set_axis(t.index)


def late_tickets(t, std: Standards, as_of: pd.Timestamp) -> pd.DataFrame:
    """Open tickets past their response or resolution target at ``as_of`` on the SLA clock (``engine.metrics.
    breaches_sql``): only those come back, from a frame or from where an outside source's rows lie."""
    rows = rows_of(t, TICKET_COLUMNS)
    keep = ("row__", "ticket_id", "department", "created_at", "first_response_at", "resolved_at")
    sql, days = _timed_sql(rows, _profile(rows), std, as_of, "TRUE", keep)
    return duck.query(metrics.breaches_sql(f"({sql}) timed", as_of), days__=days)


def ticket_flags(t: pd.DataFrame, std: Standards, as_of: pd.Timestamp, decides: bool | None = None) -> pd.DataFrame:
    """One row per ticket with the numbers every ticket metric is a sum or a quantile of.  Where the status
    decides (``status_decides``) a cancelled ticket counts in ``tickets`` only, and a solved or closed one without
    ``resolved_at`` is resolved at an unknown time."""
    rows = rows_of(t, TICKET_COLUMNS)
    profile = _profile(rows)
    decides = _decides(profile, as_of) if decides is None else decides
    sql, days = _flags_sql(rows, profile, std, as_of, decides, "TRUE", ("row__",))
    return duck.query(sql + " ORDER BY row__", days__=days).drop(columns="row__").set_axis(t.index)


_SUMS = metrics.FLAG_SUMS
_TICKET_COLUMNS = ["tickets", "first_response_sla_pct", "resolution_sla_pct", "median_first_response_min",
                   "p90_first_response_min", "median_resolution_h", "fcr_pct", "reopen_rate_pct", "complaint_rate_pct",
                   "record_completeness_pct", "complaint_first_response_sla_pct"]


def _ticket_groups(flags: pd.DataFrame, keys, quantiles: bool = True) -> pd.DataFrame:
    """The ticket metrics per group of a pandas Series of keys and the flag counts behind them (``n_<flag>``);
    the medians and P90 only with ``quantiles`` (the one costly part)."""
    return _grouped(metrics.ticket_groups_sql("rows", "key", quantiles), flags[[*_SUMS, "fr_min", "res_h"]], keys)


def ticket_metrics(flags: pd.DataFrame, keys: pd.Series | None = None, quantiles: bool = True) -> pd.DataFrame:
    """The ticket metrics of a set of tickets: one row, or one per group of ``keys`` (an hour band, a category);
    without ``quantiles`` the medians and P90 are blank (a caller that weighs rates only)."""
    return _ticket_groups(flags, keys, quantiles)[_TICKET_COLUMNS]


def backlog(all_tickets: pd.DataFrame, as_of: pd.Timestamp, keys: pd.Series | None,
            decides: bool | None = None) -> pd.Series:
    """Open at ``as_of``: created before it and not resolved before it — over the whole table (``engine.metrics.
    backlog_sql``)."""
    decides = status_decides(all_tickets, as_of) if decides is None else decides
    rel = pd.DataFrame({"created_at": all_tickets["created_at"], "resolved_at": all_tickets["resolved_at"],
                        "status": _column(all_tickets, "status", "string")}, index=all_tickets.index)
    return _grouped(metrics.backlog_sql("rows", "key", as_of, decides), rel, keys)["backlog"]


def survey_metrics(s: pd.DataFrame, keys: pd.Series | None = None) -> pd.DataFrame:
    """CSAT % and NPS of a set of survey answers, one row or one per group of ``keys``, with the answers counted
    (``n_csat_n``) and satisfied (``n_csat_ok``)."""
    rel = pd.DataFrame({"csat": s["csat"].astype(float), "nps": s["nps"].astype(float)}, index=s.index)
    return _grouped(metrics.survey_groups_sql("rows", "key"), rel, keys)


def inspection_scores(i: pd.DataFrame) -> pd.DataFrame:
    """One row per inspection: its score %, zero when a critical item is below its max (``engine.metrics.
    inspection_scores_sql``)."""
    rel = pd.DataFrame({"inspection_id": i["inspection_id"], "score": i["score"].astype(float),
                        "max_score": i["max_score"].astype(float), "critical": _column(i, "critical", "boolean"),
                        "department": _column(i, "department", "string"), "agent": _column(i, "agent", "string")})
    return duck.query(metrics.inspection_scores_sql("rows"), rows=rel).set_index("inspection_id")


# ----------------------------------------------------------------------------- the period's view, in the engine

def in_period(frame: pd.DataFrame, column: str, p: Period) -> pd.DataFrame:
    """The rows of the period; the frame itself when all are (no copy of a million rows)."""
    keep = (frame[column] >= p.start) & (frame[column] < p.end)
    return frame if keep.all() else frame[keep]


def _between(column: str, p: Period) -> str:
    return f"{column} >= {metrics.literal(p.start)} AND {column} < {metrics.literal(p.end)}"


VISIT_COLUMNS = ("appointment_at", "arrived_at", "visit_end_at", "fixed_first_visit", "channel", "department", "agent")
FLAG_KEYS = ("row__", "created_at", "channel", "department", "agent", "ticket_id", "category")


class View:
    """The period's rows where they lie and each ticket's flags, computed once into the engine (a temporary table)
    and shared by the result, the trends and the heat map; every figure is SQL over them.  ``t``, ``s``, ``i`` and
    ``flags`` are the same rows as pandas frames, for the actions that still work row by row: the workbook's own
    slices, or read from an outside source when first asked for."""

    def __init__(self, tickets: Rows, surveys: Rows, inspections: Rows, std: Standards, p: Period,
                 profile: dict, missing: set[str], known: View | None = None):
        self.tickets, self.surveys, self.inspections, self.std, self.p = tickets, surveys, inspections, std, p
        self.missing, self.profile = missing, profile
        self.decides = _decides(profile, p.as_of)
        self.regions = bool(profile.get("filled__region"))
        keep = FLAG_KEYS + (("region",) if self.regions else ())
        self.in_period = _between("created_at", p)
        same = known is not None and known.tickets is tickets and known.std is std and known.p.as_of == p.as_of \
            and p.start <= known.p.start and known.p.end <= p.end \
            and duck.scalar(f"SELECT COUNT(*) FROM {tickets.sql} WHERE {self.in_period}") == known.n
        if same:  # the period holds the very rows of a view already made (a quarter holding every ticket): its flags
            self.flags_table, self.n = known.flags_table, known.n
        else:
            sql, days = _flags_sql(tickets, profile, std, p.as_of, self.decides, self.in_period, keep)
            self.flags_table = temp_table(sql, self, "flags", days__=days)
            self.n = int(duck.scalar(f"SELECT COUNT(*) FROM {self.flags_table}"))
        self.survey_table = temp_table(self._survey_sql(), self, "answers")
        self.scores_table = temp_table(self._scores_sql(), self, "scores")
        self._frames: dict = {}

    def _regions_of_tickets(self) -> str:
        return (f"(SELECT ticket_id AS rid__, region FROM (SELECT ticket_id, region, ROW_NUMBER() OVER "
                f"(PARTITION BY ticket_id ORDER BY row__) AS k__ FROM {self.tickets.sql}) r WHERE k__ = 1)")

    def _survey_sql(self) -> str:
        cols = ", ".join(f"s.{c}" for c in (*SURVEY_COLUMNS, "row__") if self.surveys.has(c))
        join = f" LEFT JOIN {self._regions_of_tickets()} g ON g.rid__ = s.ticket_id" if self.regions else ""
        return (f"SELECT {cols}{', g.region' if self.regions else ''} FROM {self.surveys.sql} s{join} "
                f"WHERE {_between('s.submitted_at', self.p)}")

    def _scores_sql(self) -> str:
        items = f"(SELECT * FROM {self.inspections.sql} WHERE {_between('inspected_at', self.p)})"
        scores = metrics.inspection_scores_sql(items, carry=("department", "agent", "ticket_id"))
        if not self.regions:
            return scores
        return f"SELECT sc.*, g.region FROM ({scores}) sc LEFT JOIN {self._regions_of_tickets()} g ON g.rid__ = sc.ticket_id"

    # the same rows as pandas frames, for the row-by-row actions
    def _frame(self, name: str, rows: Rows, column: str):
        if name not in self._frames:
            self._frames[name] = in_period(rows.frame, column, self.p) if rows.frame is not None else \
                rows.select(_between(column, self.p)).to_frame().drop(columns="row__")
        return self._frames[name]

    @property
    def t(self) -> pd.DataFrame:
        return self._frame("t", self.tickets, "created_at")

    @property
    def s(self) -> pd.DataFrame:
        return self._frame("s", self.surveys, "submitted_at")

    @property
    def i(self) -> pd.DataFrame:
        return self._frame("i", self.inspections, "inspected_at")

    @property
    def all_tickets(self) -> pd.DataFrame:
        """The whole ticket table as a frame (the backlog and the region's own tickets look beyond the period)."""
        if "all" not in self._frames:
            self._frames["all"] = self.tickets.frame if self.tickets.frame is not None else \
                self.tickets.to_frame().drop(columns="row__")
        return self._frames["all"]

    @property
    def flags(self) -> pd.DataFrame:
        if "flags" not in self._frames:
            cols = ", ".join(("fr_min", "res_h", *_SUMS))
            flags = duck.query(f"SELECT {cols} FROM {self.flags_table} WHERE {self.in_period} ORDER BY row__")
            self._frames["flags"] = flags.set_axis(self.t.index)
        return self._frames["flags"]

    @property
    def empty(self) -> bool:
        """No ticket, survey answer or inspection in the period."""
        return self.n == 0 and not duck.scalar(f"SELECT COUNT(*) FROM {self.survey_table}") \
            and not duck.scalar(f"SELECT COUNT(*) FROM {self.scores_table}")

    # the few rows a row-by-row figure needs: the workbook's slice, or those rows alone from an outside source
    def _wanted(self, rows: Rows, column: str, p: Period, columns: tuple[str, ...], condition: str):
        if rows.frame is not None:
            return in_period(rows.frame, column, p) if column in rows.frame else pd.DataFrame()
        if not rows.has(column):
            return pd.DataFrame()
        return rows.select(f"{_between(column, p)} AND ({condition})").to_frame(columns, order=False)

    def visits(self, p: Period) -> pd.DataFrame:
        """The tickets of ``p`` with an appointment or an arrival (``core.visits``)."""
        return self._wanted(self.tickets, "created_at", p, VISIT_COLUMNS,
                            "appointment_at IS NOT NULL OR arrived_at IS NOT NULL")

    def invitations(self, p: Period) -> pd.DataFrame:
        """The surveys sent in ``p`` (``core.surveys.response``)."""
        return self._wanted(self.surveys, "sent_at", p, ("sent_at", "csat", "nps", "channel", "department"), "TRUE")

    def dimension_rates(self) -> dict:
        """The period's satisfaction by dimension (服务态度, 响应速度, 解决能力, 等待体验; ``core.surveys``)."""
        from .surveys import SCORE_DIMENSIONS, dimension_rates

        return dimension_rates(self.survey_table, tuple(d for d in SCORE_DIMENSIONS if self.surveys.has(d)))

    def major_complaints(self) -> int | None:
        """重大投诉 of the period (DOMAIN.md §4), a cancelled ticket left out; None when no ticket of the table
        carries a complaint level."""
        if not self.profile.get("filled__complaint_level"):
            return None
        return int(duck.scalar(f"SELECT COUNT(*) FROM {self.tickets.sql} WHERE {self.in_period} AND "
                               f"complaint_level = 'major' AND (status IS NULL OR status <> 'cancelled')"))

    def majors(self, dim: str) -> pd.Series:
        """Major complaints (重大投诉) of the period per group of ``dim`` (every group with tickets, 0 where none),
        a cancelled ticket left out as everywhere (DOMAIN.md §3)."""
        k = f"CAST({dim} AS VARCHAR)"
        frame = duck.query(f"""
SELECT {k} AS key, {metrics.count("COALESCE(complaint_level = 'major', FALSE) AND (status IS NULL OR status <> 'cancelled')")} AS n
FROM {self.tickets.sql} WHERE {self.in_period} AND {k} IS NOT NULL GROUP BY {k} ORDER BY key""")
        return pd.Series(frame["n"].to_numpy(dtype=int), index=frame["key"].to_numpy(dtype=object), dtype=int)

    def pareto(self, column: str = "category"):
        """The period's Pareto of a ticket column (DOMAIN.md §5), counted where the rows lie."""
        from .pareto import pareto_of

        return pareto_of(f"(SELECT * FROM {self.tickets.sql} WHERE {self.in_period})", column)

    def agent_departments(self) -> pd.Series:
        """Each agent's department: the one most of its period's tickets name (the first by name on a tie)."""
        frame = duck.query(f"""
SELECT agent, department FROM (
  SELECT agent, department, ROW_NUMBER() OVER (PARTITION BY agent ORDER BY COUNT(*) DESC, department) AS k
  FROM {self.flags_table}
  WHERE {self.in_period} AND agent IS NOT NULL AND department IS NOT NULL
  GROUP BY agent, department
) d WHERE k = 1""")
        return pd.Series(frame["department"].to_numpy(dtype=object), index=frame["agent"].to_numpy(dtype=object))

    # figures, each one query
    def ticket_groups(self, key: str, quantiles: bool = True) -> pd.DataFrame:
        """The ticket metrics and flag counts per group of the SQL expression ``key``."""
        rel = f"(SELECT {key} AS key__, * FROM {self.flags_table} WHERE {self.in_period})"
        return _indexed(duck.query(metrics.ticket_groups_sql(rel, "key__", quantiles)))

    def survey_groups(self, key: str) -> pd.DataFrame:
        return _indexed(duck.query(metrics.survey_groups_sql(self.survey_table, key)))

    def backlog(self, key: str) -> pd.Series:
        return _indexed(duck.query(metrics.backlog_sql(self.tickets.sql, key, self.p.as_of, self.decides)))["backlog"]

    def inspection_groups(self, key: str) -> pd.DataFrame:
        return _indexed(duck.query(metrics.inspection_groups_sql(self.scores_table, key, self.std.qa_pass_mark)))

    def sizes(self, dim: str) -> dict[str, pd.Series]:
        """Per group of ``dim``: the tickets, surveys and inspections its rates are over (DOMAIN.md §4)."""
        k = key_of(dim)
        count = lambda rel: _indexed(duck.query(  # noqa: E731
            f"SELECT {k} AS key, COUNT(*) AS n FROM {rel} WHERE {k} IS NOT NULL GROUP BY {k} ORDER BY key"))["n"]
        return {"tickets": count(f"(SELECT * FROM {self.flags_table} WHERE {self.in_period})"),
                "surveys": count(self.survey_table),
                "inspections": count(self.scores_table) if dim != "channel" else None}


def _indexed(frame: pd.DataFrame) -> pd.DataFrame:
    first = frame.columns[0]
    out = frame.set_index(first)
    out.index.name = None
    return out


def key_of(dim: str | None) -> str:
    """The SQL a breakdown groups by; rows without an agent form the group 未分配."""
    if dim is None:
        return "CAST(0 AS INTEGER)"  # one group (a bare 0 in GROUP BY would name a column)
    if dim == "agent":
        return f"COALESCE(CAST(agent AS VARCHAR), {metrics.literal(UNASSIGNED)})"
    return f"CAST({dim} AS VARCHAR)"


def group_keys(frame: pd.DataFrame, dim: str | None) -> pd.Series | None:
    """The column a breakdown of a pandas frame groups by; rows without an agent form the group 未分配."""
    if dim is None:
        return None
    col = frame[dim]
    if dim != "agent" or not col.isna().any():
        return col
    if isinstance(col.dtype, pd.StringDtype):
        return col.fillna(UNASSIGNED)  # stays Arrow text: no Python object per ticket
    return col.astype(object).where(col.notna(), UNASSIGNED)


def with_ticket_owner(rows: Rows, tickets: Rows) -> Rows:
    """A survey or inspection without an agent takes the agent (and a blank department) of its ticket (the first
    row of that ticket id), joined where the rows lie."""
    if not rows.has("ticket_id"):
        return rows
    owners = (f"(SELECT ticket_id AS tid__, agent AS agent__, department AS dept__ FROM (SELECT ticket_id, agent, "
              f"department, ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY row__) AS k__ FROM {tickets.sql}) x "
              f"WHERE k__ = 1)")
    sql = (f"(SELECT r.* REPLACE (COALESCE(r.agent, o.agent__) AS agent, COALESCE(r.department, o.dept__) AS "
           f"department) FROM {rows.sql} r LEFT JOIN {owners} o ON o.tid__ = r.ticket_id)")
    return Rows(sql, rows.columns, None, rows.where, [rows, tickets])


def view(tickets, surveys, inspections, std: Standards, p: Period, calls: pd.DataFrame | None = None,
         known: View | None = None) -> View:
    """The period's view of the three tables (pandas frames, or an outside source's ``Rows``); ``known``, a view
    already made of the same tables (the months around a period, the period before): its registered rows are
    taken, and its flags when they are the very rows on the same standards and as_of."""
    if calls is not None and len(calls):  # satisfaction given on a call counts like a survey answer (§4)
        from .calls import survey_answers

        answers = survey_answers(calls)
        if isinstance(surveys, Rows):
            extra = rows_of(answers, SURVEY_COLUMNS)
            surveys = Rows(f"(SELECT * FROM {surveys.sql} UNION ALL BY NAME SELECT * FROM {extra.sql})",
                           surveys.columns, None, surveys.where, [surveys, extra])
        else:
            surveys = pd.concat([surveys, answers.astype({"csat": surveys["csat"].dtype})], ignore_index=True) \
                if len(surveys) else answers
    same = lambda mine, theirs: known is not None and (theirs.frame is mine if theirs.frame is not None  # noqa: E731
                                                        else theirs is mine)
    t = known.tickets if same(tickets, getattr(known, "tickets", None)) else rows_of(tickets, TICKET_COLUMNS)
    s = known.surveys if same(surveys, getattr(known, "surveys", None)) else rows_of(surveys, SURVEY_COLUMNS)
    i = known.inspections if same(inspections, getattr(known, "inspections", None)) \
        else rows_of(inspections, INSPECTION_COLUMNS)
    profile = known.profile if known is not None and known.tickets is t else _profile(t)
    filled_s = duck.row(f"SELECT COUNT(csat) AS csat, COUNT(nps) AS nps FROM {s.sql}")
    missing = missing_metrics({"tickets": {c.removeprefix("filled__"): n for c, n in profile.items()
                                           if c.startswith("filled__")}, "surveys": filled_s})
    return View(t, s, i, std, p, profile, missing, known)


def result(v: View, dims: tuple[str, ...] = DIMENSIONS) -> dict:
    """Overall and by each of ``dims`` (the previous period's comparison needs only the overall figures)."""
    out = {"period": v.p.as_json()}
    for dim in (None, *dims):
        k = key_of(dim)
        parts = [v.ticket_groups(k)[_TICKET_COLUMNS], v.backlog(k).rename("backlog"),
                 v.survey_groups(k)[["csat_pct", "nps"]]]
        if dim != "channel":  # inspections carry no channel
            parts.append(v.inspection_groups(k))
        frame = pd.concat(parts, axis=1).reindex(columns=list(METRICS))
        for m in v.missing:
            frame[m] = np.nan
        frame["tickets"] = frame["tickets"].fillna(0)
        if dim is None:
            out["overall"] = _metrics(frame.iloc[0]) if len(frame) else _metrics(pd.Series(dtype=float))
        else:
            out[f"by_{dim}"] = {str(k): _metrics(row) for k, row in frame.iterrows()}
    out["overall"]["tickets"] = v.n
    return out


def _metrics(row: pd.Series) -> dict:
    out = {}
    for m in METRICS:
        v = row.get(m)
        if v is None or pd.isna(v):
            out[m] = 0 if m == "tickets" else None
        elif m in ("tickets", "backlog"):
            out[m] = int(v)
        else:
            out[m] = float(v)
    return out


MONTH = "STRFTIME({}, '%Y-%m')"
WEEK = "DATE_TRUNC('week', {})"


def monthly(v: View, keys: tuple[str, ...]) -> pd.DataFrame:
    """Rates (``keys``, no quantile among them) and ticket counts per calendar month of the view, one query per
    table over the whole span instead of a view per month: each ticket's flags depend on the ticket, the standards
    and ``as_of`` alone, so the months' figures are those of a view of each month."""
    return _rates_by(v, MONTH).reindex(columns=["tickets", *keys])


def _rates_by(v: View, key: str) -> pd.DataFrame:
    """The ticket rates and counts (no quantiles) and the survey figures per time key (a week, a month: ``key``
    formats the time column), a metric the data never supplied left empty."""
    out = pd.concat([v.ticket_groups(key.format("created_at"), quantiles=False)[_TICKET_COLUMNS],
                     v.survey_groups(key.format("submitted_at"))], axis=1, sort=True)
    for m in v.missing & set(out.columns):
        out[m] = np.nan
    return out


def weekly_trend(v: View) -> pd.DataFrame:
    """Main indicators per ISO week (weeks starting Monday) within the period."""
    p = v.p
    weeks = pd.period_range(p.start, p.end - pd.Timedelta(days=1), freq="W-SUN").start_time
    out = _rates_by(v, WEEK)
    out.index = pd.DatetimeIndex(out.index).as_unit("ns") if len(out) else pd.DatetimeIndex([])
    out = out.reindex(weeks)  # empty weeks too
    out["tickets"] = out["tickets"].fillna(0)
    out.index.name = "week"
    cols = ["tickets", "first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct"]
    return out.reindex(columns=cols).reset_index()


def hour_weekday(v: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volume and first-response SLA % by hour of day (rows 0–23) × weekday (columns Mon–Sun)."""
    m = v.ticket_groups("HOUR(created_at) * 7 + ISODOW(created_at) - 1", quantiles=False).reindex(range(24 * 7))
    grid = pd.MultiIndex.from_product([range(24), range(7)], names=["hour", "weekday"])
    vol = pd.Series(m["tickets"].fillna(0).astype("int64").to_numpy(), index=grid).unstack()
    sla = pd.Series(m["first_response_sla_pct"].to_numpy(dtype=float), index=grid).unstack()
    if "first_response_sla_pct" in v.missing:
        sla[:] = np.nan
    return vol, sla


# metric → (table, numerator flag, denominator flags): the counts behind a rate, for tests of a change
RATE_PARTS = {
    "first_response_sla_pct": ("tickets", "fr_met", ("fr_met", "fr_breached")),
    "resolution_sla_pct": ("tickets", "res_met", ("res_met", "res_breached")),
    "fcr_pct": ("tickets", "fcr", ("resolved",)),
    "reopen_rate_pct": ("tickets", "reopened", ("resolved",)),
    "complaint_rate_pct": ("tickets", "complaint", ("counted",)),
    "record_completeness_pct": ("tickets", "complete", ("counted",)),
    "csat_pct": ("surveys", "csat_ok", ("csat_n",)),
    "complaint_first_response_sla_pct": ("tickets", "cfr_met", ("cfr_met", "cfr_breached")),
}
LOWER_IS_BETTER = {"complaint_rate_pct", "reopen_rate_pct", "median_first_response_min", "p90_first_response_min",
                   "median_resolution_h", "backlog", "qa_fail_rate_pct"}


def rate_counts(v: View, metric: str) -> tuple[int, int] | None:
    """(successes, trials) of a rate metric over a view; None for a metric that is not a rate."""
    if metric not in RATE_PARTS:
        return None
    table, num, den = RATE_PARTS[metric]
    counts = v.ticket_groups(key_of(None), quantiles=False) if table == "tickets" else v.survey_groups(key_of(None))
    if counts.empty:
        return 0, 0
    row = counts.iloc[0]
    return int(row[f"n_{num}"]), int(sum(row[f"n_{d}"] for d in den))


def week_of(times: pd.Series) -> pd.Series:
    """The Monday that starts each time's ISO week."""
    return times.dt.to_period("W-SUN").dt.start_time


MEDIAN_TIMES = {"median_first_response_min", "median_resolution_h"}


def weekly_counts(v: View, metric: str) -> tuple[pd.Series, pd.Series]:
    """Per week: (successes, trials) of a rate, as floats; for a median time, (its weekly value, an empty series)."""
    def weekly(frame):
        frame.index = pd.DatetimeIndex(frame.index).as_unit("ns") if len(frame) else pd.DatetimeIndex([])
        return frame

    if metric in MEDIAN_TIMES:
        g = weekly(v.ticket_groups(WEEK.format("created_at")))
        return g[metric].astype(float), pd.Series(dtype=float)
    table, num, den = RATE_PARTS[metric]
    g = weekly(v.ticket_groups(WEEK.format("created_at"), quantiles=False) if table == "tickets"
               else v.survey_groups(WEEK.format("submitted_at")))
    return g[f"n_{num}"].astype(float), sum(g[f"n_{d}"] for d in den).astype(float)
