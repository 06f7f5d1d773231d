"""The period's view in the engine: the rows of the three input tables where they lie (``engine.rows.Rows``: the
workbook's columnar copy, a registered frame, or an outside source), the period's tickets timed and flagged once into
a DuckDB table, its answers and inspection scores likewise; every figure of ``core.kpi`` is one query of them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine import duck, metrics, timing
from ..engine.rows import Rows, of_frame, temp_table
from . import clock
from .periods import Period
from .standards import Standards

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


# what the engine reads of each table, and as which kind (``_column``)
TEXT, TIME, NUMBER, YES_NO = "string", "datetime64[ns]", "Float64", "boolean"
SCORE = "score"  # a number where the cell reads as one, else blank (a dimension's score, 1–5)
TICKET_COLUMNS = {"ticket_id": TEXT, "created_at": TIME, "first_response_at": TIME, "resolved_at": TIME,
                  "channel": TEXT, "department": TEXT, "agent": TEXT, "priority": TEXT, "category": TEXT,
                  "status": TEXT, "is_complaint": YES_NO, "complaint_level": TEXT, "contacts": NUMBER,
                  "reopened": YES_NO, "resolution_note": TEXT, "region": TEXT}
SURVEY_COLUMNS = {"ticket_id": TEXT, "submitted_at": TIME, "csat": "float64", "nps": "float64", "comment": TEXT,
                  "channel": TEXT, "department": TEXT, "agent": TEXT, "attitude": SCORE, "speed": SCORE,
                  "resolution": SCORE, "wait": SCORE}
INSPECTION_COLUMNS = {"inspection_id": TEXT, "inspected_at": TIME, "ticket_id": TEXT, "score": "float64",
                      "max_score": "float64", "critical": YES_NO, "department": TEXT, "agent": TEXT}


def rows_of(frame, columns: dict) -> Rows:
    """The workbook's frame as the engine's rows (its columns as SQL reads them); an outside source's rows as
    they are."""
    if isinstance(frame, Rows):
        return frame
    return of_frame(frame, {c: (lambda f, c=c, d=d: _column(f, c, d)) for c, d in columns.items()})


def _profile(tickets: Rows) -> dict:
    """What the calculation must know of the whole ticket table, in one pass (``engine.timing.profile_sql``); kept
    with the rows, so that the views an action makes of the same tickets ask once."""
    if "profile" not in tickets.facts:
        tickets.facts["profile"] = duck.row(timing.profile_sql(tickets.sql, tuple(c for c in TICKET_COLUMNS
                                                                                  if tickets.has(c))))
    return tickets.facts["profile"]


def _decides(profile: dict, as_of: pd.Timestamp) -> bool:
    if not profile.get("filled__status"):
        return False
    times = [profile[f"max__{c}"] for c in ("created_at", "first_response_at", "resolved_at")]
    latest = max((pd.Timestamp(x) for x in times if x is not None), default=None)
    return latest is None or as_of >= latest


def _timed_sql(tickets: Rows, profile: dict, std: Standards, as_of: pd.Timestamp, where: str | None,
               keep: tuple[str, ...]) -> tuple[str, object]:
    """The SQL of ``tickets`` meeting ``where`` (SQL; None: all of them) with their times and targets on the workbook's SLA clock
    (``engine.timing``: calendar or working minutes, at the minute where the export writes minutes; complaints held
    to the stricter target), each row with the columns ``keep``; and the day table it reads as ``days__``."""
    times = [pd.Timestamp(profile[f"{m}__{c}"]) for m in ("min", "max")
             for c in ("created_at", "first_response_at", "resolved_at") if profile[f"{m}__{c}"] is not None]
    plan, days = clock.timing(std, as_of, profile["minute__first_response_at"] or profile["minute__created_at"],
                              profile["minute__resolved_at"] or profile["minute__created_at"],
                              min([*times, as_of]), max([*times, as_of]))
    rows = tickets.sql if where is None else f"(SELECT * FROM {tickets.sql} WHERE {where})"
    return timing.sla_sql(rows, "days__", plan, tuple(dict.fromkeys((*keep, *FLAG_INPUTS)))), days


FLAG_INPUTS = ("status", "resolved_at", "is_complaint", "complaint_level", "contacts", "reopened", "resolution_note",
               "agent", "category")  # what ``engine.metrics.ticket_flags_sql`` reads besides the times


def _flags_sql(tickets: Rows, profile: dict, std: Standards, as_of: pd.Timestamp, decides: bool, where: str | None,
               keep: tuple[str, ...]) -> tuple[str, object]:
    """The flags of ``tickets`` meeting ``where`` (``engine.metrics.ticket_flags_sql`` over ``_timed_sql``), each
    row with the columns ``keep``; and the day table."""
    timed, days = _timed_sql(tickets, profile, std, as_of, where, keep)
    return metrics.ticket_flags_sql(f"({timed}) timed", decides, keep), days


def in_period(frame: pd.DataFrame, column: str, p: Period) -> pd.DataFrame:
    """The rows of the period; the frame itself when all are (no copy of a million rows)."""
    keep = (frame[column] >= p.start) & (frame[column] < p.end)
    return frame if keep.all() else frame[keep]


def between(column: str, p: Period) -> str:
    """The SQL condition of ``column`` falling in the period (its start included, its end not)."""
    return f"{column} >= {metrics.literal(p.start)} AND {column} < {metrics.literal(p.end)}"


VISIT_COLUMNS = ("appointment_at", "arrived_at", "visit_end_at", "fixed_first_visit", "channel", "department", "agent")
FLAG_KEYS = ("row__", "created_at", "channel", "department", "agent", "ticket_id", "category")


class View:
    """The period's rows where they lie and each ticket's flags, computed once into a table of the engine and shared by the result, the trends and the heat map; every figure is SQL over them.  ``t``, ``s``, ``i`` and
    ``flags`` are the same rows as pandas frames, for the actions that still work row by row: the workbook's own
    slices, or read from an outside source when first asked for."""

    def __init__(self, tickets: Rows, surveys: Rows, inspections: Rows, std: Standards, p: Period,
                 profile: dict, missing: set[str], known: View | None = None):
        self.tickets, self.surveys, self.inspections, self.std, self.p = tickets, surveys, inspections, std, p
        self.missing, self.profile = missing, profile
        self.decides = _decides(profile, p.as_of)
        self.regions = bool(profile.get("filled__region"))
        keep = FLAG_KEYS + (("region",) if self.regions else ())
        self.in_period = between("created_at", p)
        alike = known is not None and known.tickets is tickets and known.std is std and known.p.as_of == p.as_of
        within = alike and known.p.start <= p.start and p.end <= known.p.end
        same = alike and p.start <= known.p.start and known.p.end <= p.end \
            and duck.scalar(f"SELECT COUNT(*) FROM {tickets.sql} WHERE {self.in_period}") == known.n
        self._known = known if same or within else None  # its tables live as long as it does
        if same:  # the period holds the very rows of a view already made (a quarter holding every ticket): its flags
            self.flags_table, self.n = known.flags_table, known.n
        elif within:  # the period lies within a view made at the same moment (the report's month within the alerts'
            # history): a ticket's flags depend on the moment, not on the period, and every reader of the flags
            # takes the period's rows (``in_period``)
            self.flags_table = known.flags_table
            self.n = int(duck.scalar(f"SELECT COUNT(*) FROM {self.flags_table} WHERE {self.in_period}"))
        else:
            sql, days = _flags_sql(tickets, profile, std, p.as_of, self.decides, self.in_period, keep)
            self.flags_table = temp_table(sql, self, "flags", tickets.bounded, days__=days)
            self.n = int(duck.scalar(f"SELECT COUNT(*) FROM {self.flags_table}"))
        self._frames: dict = {}
        self._groups: dict = {}  # (key, quantiles) → the ticket groups asked for
        self._tables: dict[str, str] = {}

    @property
    def survey_table(self) -> str:
        """The period's survey answers as an engine table, made when first asked for (the months' view never
        asks for the inspections')."""
        if "answers" not in self._tables:
            k = self._known
            if k is not None and k.surveys is self.surveys and "answers" in k._tables and duck.scalar(
                    f"SELECT COUNT(*) FROM {self.surveys.sql} WHERE {between('submitted_at', self.p)}") \
                    == duck.scalar(f"SELECT COUNT(*) FROM {k._tables['answers']}"):
                self._tables["answers"] = k._tables["answers"]  # the very answers of the view it holds
            else:
                self._tables["answers"] = temp_table(self._survey_sql(), self, "answers", self.surveys.bounded)
        return self._tables["answers"]

    @property
    def scores_table(self) -> str:
        """The period's inspections, one row each with its score %, as an engine table made when first asked for."""
        if "scores" not in self._tables:
            self._tables["scores"] = temp_table(self._scores_sql(), self, "scores", self.inspections.bounded)
        return self._tables["scores"]

    def _regions_of_tickets(self) -> str:
        return (f"(SELECT ticket_id AS rid__, region FROM (SELECT ticket_id, region, ROW_NUMBER() OVER "
                f"(PARTITION BY ticket_id ORDER BY row__) AS k__ FROM {self.tickets.sql}) r WHERE k__ = 1)")

    def _survey_sql(self) -> str:
        cols = ", ".join(f"s.{c}" for c in (*SURVEY_COLUMNS, "row__") if self.surveys.has(c))
        join = f" LEFT JOIN {self._regions_of_tickets()} g ON g.rid__ = s.ticket_id" if self.regions else ""
        return (f"SELECT {cols}{', g.region' if self.regions else ''} FROM {self.surveys.sql} s{join} "
                f"WHERE {between('s.submitted_at', self.p)}")

    def _scores_sql(self) -> str:
        items = f"(SELECT * FROM {self.inspections.sql} WHERE {between('inspected_at', self.p)})"
        scores = metrics.inspection_scores_sql(items, carry=("department", "agent", "ticket_id"))
        if not self.regions:
            return scores
        return f"SELECT sc.*, g.region FROM ({scores}) sc LEFT JOIN {self._regions_of_tickets()} g ON g.rid__ = sc.ticket_id"

    # the same rows as pandas frames, for the row-by-row actions
    def _frame(self, name: str, rows: Rows, column: str):
        if name not in self._frames:
            self._frames[name] = in_period(rows.frame, column, self.p) if rows.frame is not None else \
                rows.select(between(column, self.p)).to_frame().drop(columns="row__")
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
            cols = ", ".join(("fr_min", "res_h", *metrics.FLAG_SUMS))
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
        return rows.select(f"{between(column, p)} AND ({condition})").to_frame(columns, order=False)

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
        """Major complaints (重大投诉) of the period per group of ``dim`` (``majors_by``)."""
        return majors_by(f"(SELECT * FROM {self.tickets.sql} WHERE {self.in_period})", dim)

    def pareto(self, column: str = "category"):
        """The period's Pareto of a ticket column (DOMAIN.md §5), counted where the rows lie."""
        from .pareto import pareto_of

        return pareto_of(f"(SELECT * FROM {self.tickets.sql} WHERE {self.in_period})", column)

    def agent_departments(self) -> pd.Series:
        """Each agent's department: the one most of its period's tickets name (``home_departments``)."""
        return home_departments(f"(SELECT * FROM {self.flags_table} WHERE {self.in_period})")

    # figures, each one query
    def ticket_groups(self, key: str, quantiles: bool = True) -> pd.DataFrame:
        """The ticket metrics and flag counts per group of the SQL expression ``key``; asked of the engine once per
        key (the control charts take the weeks' groups for each of their indicators), a copy handed out each time."""
        if (key, quantiles) not in self._groups:
            rel = f"(SELECT {key} AS key__, * FROM {self.flags_table} WHERE {self.in_period})"
            self._groups[(key, quantiles)] = _indexed(duck.query(metrics.ticket_groups_sql(rel, "key__", quantiles)))
        return self._groups[(key, quantiles)].copy()

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


def majors_by(relation: str, dim: str) -> pd.Series:
    """Major complaints (重大投诉) of the tickets of ``relation`` per group of ``dim`` (every group with tickets, 0
    where none), a cancelled ticket left out as everywhere (DOMAIN.md §3)."""
    k = f"CAST({dim} AS VARCHAR)"
    frame = duck.query(f"""
SELECT {k} AS key, {metrics.count("COALESCE(complaint_level = 'major', FALSE) AND (status IS NULL OR status <> 'cancelled')")} AS n
FROM {relation} WHERE {k} IS NOT NULL GROUP BY {k} ORDER BY key""")
    return pd.Series(frame["n"].to_numpy(dtype=int), index=frame["key"].to_numpy(dtype=object), dtype=int)


def home_departments(relation: str) -> pd.Series:
    """Each agent's department in the tickets of ``relation``: the one most of them name, the first by name on a
    tie; an agent whose tickets name none has none."""
    frame = duck.query(f"""
SELECT agent, department FROM (
  SELECT agent, department, ROW_NUMBER() OVER (PARTITION BY agent ORDER BY COUNT(*) DESC, department) AS k
  FROM {relation}
  WHERE agent IS NOT NULL AND department IS NOT NULL
  GROUP BY agent, department
) d WHERE k = 1 ORDER BY agent""")
    return pd.Series(frame["department"].to_numpy(dtype=object), index=frame["agent"].to_numpy(dtype=object))


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
    # the columns named one by one (no ``* REPLACE``): the same text runs on Spark
    cols = ", ".join("COALESCE(r.agent, o.agent__) AS agent" if c == "agent" else
                     "COALESCE(r.department, o.dept__) AS department" if c == "department" else f"r.{c}"
                     for c in rows.columns)
    sql = f"(SELECT {cols} FROM {rows.sql} r LEFT JOIN {owners} o ON o.tid__ = r.ticket_id)"
    return Rows(sql, rows.columns, None, rows.where, [rows, tickets], rows.bounded and tickets.bounded)


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
                           surveys.columns, None, surveys.where, [surveys, extra], surveys.bounded)
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

