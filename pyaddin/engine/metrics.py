"""Every indicator of DOMAIN.md §4 as SQL text, written once in DuckDB's dialect.

The text keeps to what sqlglot carries over to Spark SQL as it is (CASE, COALESCE, CAST, SUM, COUNT, AVG,
exact quantiles from sorted lists), so one definition runs on every engine.  Each function returns a
SELECT over named relations:

- ``ticket_flags_sql``: one row per ticket with the numbers every ticket metric is a sum or a quantile of, read
  from a relation holding the ticket's columns and its SLA times (``fr_min``, ``res_h``, ``age_min``) and targets
  (``fr_target``, ``res_target``, ``cfr_target``) as the working-time clock computed them (``core.clock``);
- ``ticket_groups_sql``, ``backlog_sql``, ``survey_groups_sql``, ``inspection_scores_sql``,
  ``inspection_groups_sql``: the group figures, a key expression to group by (rows whose key is null are in no
  group), sorted by the key.

Parameters are our own typed values (a timestamp, a number, a yes/no), written into the text as literals.
A boolean condition that meets a blank reads as false (``COALESCE(…, FALSE)``), as it does on a pandas column.
"""
from __future__ import annotations

import math

DONE_STATUSES = ("solved", "closed")  # resolved, at an unknown time where resolved_at is blank
OPEN_STATUSES = ("new", "open", "pending")  # with a resolved_at: reopened since

FLAG_SUMS = ("fr_met", "fr_breached", "res_met", "res_breached", "resolved", "fcr", "reopened", "complaint",
             "complete", "cfr_met", "cfr_breached", "counted")


def literal(value) -> str:
    """A parameter as an SQL literal: a timestamp, a number, a yes/no, a text or a blank."""
    import pandas as pd

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, pd.Timestamp):
        return f"TIMESTAMP '{value.strftime('%Y-%m-%d %H:%M:%S.%f')}'"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _words(values) -> str:
    return "(" + ", ".join(literal(v) for v in values) + ")"


def _true(condition: str) -> str:
    return f"COALESCE({condition}, FALSE)"


def pct(num: str, den: str) -> str:
    """100 × num / den, blank where the denominator is 0."""
    return f"CAST(100 AS DOUBLE) * ({num}) / (CASE WHEN ({den}) > 0 THEN ({den}) END)"


def count(flag: str) -> str:
    return f"SUM(CAST({flag} AS INT))"


def ticket_flags_sql(relation: str, decides: bool, keep: tuple[str, ...] = ()) -> str:
    """Per ticket: met / breached on first response and resolution, resolved, first-contact resolution, reopened,
    complaint, complaint first response, complete record, counted (DOMAIN.md §4).

    Where the status decides (``core.kpi.status_decides``) a solved or closed ticket without ``resolved_at`` is
    resolved at an unknown time (resolved for fcr and reopen rates, neither met nor breached on resolution), one with
    ``resolved_at`` and an open status was reopened, and a cancelled ticket counts in ``tickets`` only."""
    state = "CAST(status AS VARCHAR)" if decides else "CAST(NULL AS VARCHAR)"
    return f"""
WITH s AS (
  SELECT *, {state} AS state FROM {relation}
), k AS (
  SELECT *,
    {_true("state <> 'cancelled'")} OR state IS NULL AS keep,
    resolved_at IS NULL AND {_true(f"state IN {_words(DONE_STATUSES)}")} AS unknown_time,
    {_true("is_complaint")} OR complaint_level IS NOT NULL AS any_complaint,
    {_true("reopened")} OR (resolved_at IS NOT NULL AND {_true(f"state IN {_words(OPEN_STATUSES)}")}) AS was_reopened
  FROM s
), f AS (
  SELECT *,
    CASE WHEN keep THEN fr_min END AS fr_kept,
    CASE WHEN keep THEN res_h END AS res_kept,
    (resolved_at IS NOT NULL OR unknown_time) AND keep AS is_resolved
  FROM k
)
SELECT
  {"".join(f"{c}, " for c in keep)}fr_kept AS fr_min,
  {_true("fr_kept <= fr_target")} AS fr_met,
  {_true("fr_kept > fr_target")} OR (fr_kept IS NULL AND {_true("age_min > fr_target")} AND keep) AS fr_breached,
  res_kept AS res_h,
  {_true("res_kept <= res_target")} AS res_met,
  {_true("res_kept > res_target")}
    OR (res_kept IS NULL AND NOT unknown_time AND {_true("age_min / 60.0 > res_target")} AND keep) AS res_breached,
  is_resolved AS resolved,
  is_resolved AND COALESCE(contacts, 1) = 1 AND NOT was_reopened AS fcr,
  is_resolved AND was_reopened AS reopened,
  any_complaint AND keep AS complaint,
  any_complaint AND keep AND {_true("fr_kept <= cfr_target")} AS cfr_met,
  any_complaint AND keep AND ({_true("fr_kept > cfr_target")}
                              OR (fr_kept IS NULL AND {_true("age_min > cfr_target")})) AS cfr_breached,
  agent IS NOT NULL AND category IS NOT NULL AND (NOT is_resolved OR resolution_note IS NOT NULL) AND keep
    AS complete,
  keep AS counted
FROM f"""


def quantiles_sql(relation: str, column: str, quantiles: dict[str, float]) -> str:
    """Exact quantiles per ``key`` (PERCENTILE.INC: h = (n − 1)·p, x[⌊h⌋] + (x[⌈h⌉] − x[⌊h⌋])·(h − ⌊h⌋)), written
    so that every engine does the same arithmetic and gives the same number to the last digit (DuckDB's
    quantile_cont and Spark's percentile each round their own way).  The two order statistics come from each
    group's sorted values; for medians alone, without sorting: the discrete median (ANSI, x[⌈n/2⌉ − 1]) is
    x[⌊(n − 1)/2⌋] for every n, and the same of −x gives −x[⌈(n − 1)/2⌉]."""
    if set(quantiles.values()) == {0.5}:
        h = f"CAST(COUNT({column}) - 1 AS DOUBLE) * 0.5"
        lo, hi = f"QUANTILE_DISC({column}, 0.5)", f"-QUANTILE_DISC(-{column}, 0.5)"
        cols = ", ".join(f"{lo} + ({hi} - {lo}) * ({h} - FLOOR({h})) AS {name}" for name in quantiles)
        return f"""
SELECT key, {cols}
FROM {relation}
WHERE key IS NOT NULL AND {column} IS NOT NULL
GROUP BY key"""

    def at(position: str) -> str:
        return f"v[CAST({position} AS BIGINT) + 1]"  # 1-based, as DuckDB writes it; sqlglot shifts it for Spark

    cols = []
    for name, p in quantiles.items():
        h = f"CAST(ARRAY_LENGTH(v) - 1 AS DOUBLE) * {float(p)!r}"
        lo, hi = at(f"FLOOR({h})"), at(f"CEIL({h})")
        cols.append(f"{lo} + ({hi} - {lo}) * ({h} - FLOOR({h})) AS {name}")
    return f"""
SELECT key, {", ".join(cols)}
FROM (
  SELECT key, LIST_SORT(LIST({column})) AS v
  FROM {relation}
  WHERE key IS NOT NULL AND {column} IS NOT NULL
  GROUP BY key
) sorted"""


def ticket_groups_sql(flags: str, key: str, quantiles: bool = True) -> str:
    """The ticket metrics per group of ``key`` over a relation of flags (``ticket_flags_sql``); without
    ``quantiles`` the medians and P90 are left blank (a breakdown that shows only rates and counts)."""
    s = {f: count(f) for f in FLAG_SUMS}
    fr = quantiles_sql("g", "fr_min", {"median_first_response_min": 0.5, "p90_first_response_min": 0.9}) \
        if quantiles else "SELECT key, CAST(NULL AS DOUBLE) AS median_first_response_min, " \
                          "CAST(NULL AS DOUBLE) AS p90_first_response_min FROM g WHERE FALSE"
    res = quantiles_sql("g", "res_h", {"median_resolution_h": 0.5}) if quantiles \
        else "SELECT key, CAST(NULL AS DOUBLE) AS median_resolution_h FROM g WHERE FALSE"
    return f"""
WITH g AS (
  SELECT {key} AS key, fr_min, res_h, {", ".join(FLAG_SUMS)} FROM {flags}
), sums AS (
  SELECT key,
    COUNT(*) AS tickets,
    {pct(s["fr_met"], f'{s["fr_met"]} + {s["fr_breached"]}')} AS first_response_sla_pct,
    {pct(s["res_met"], f'{s["res_met"]} + {s["res_breached"]}')} AS resolution_sla_pct,
    {pct(s["fcr"], s["resolved"])} AS fcr_pct,
    {pct(s["reopened"], s["resolved"])} AS reopen_rate_pct,
    {pct(s["complaint"], s["counted"])} AS complaint_rate_pct,
    {pct(s["complete"], s["counted"])} AS record_completeness_pct,
    {pct(s["cfr_met"], f'{s["cfr_met"]} + {s["cfr_breached"]}')} AS complaint_first_response_sla_pct,
    {", ".join(f"{v} AS n_{f}" for f, v in s.items())}
  FROM g
  WHERE key IS NOT NULL
  GROUP BY key
), fr AS ({fr}
), res AS ({res}
)
SELECT sums.key AS key, tickets, first_response_sla_pct, resolution_sla_pct, median_first_response_min,
  p90_first_response_min, median_resolution_h, fcr_pct, reopen_rate_pct, complaint_rate_pct,
  record_completeness_pct, complaint_first_response_sla_pct, {", ".join(f"n_{f}" for f in FLAG_SUMS)}
FROM sums LEFT JOIN fr ON fr.key = sums.key LEFT JOIN res ON res.key = sums.key
ORDER BY key"""


def backlog_sql(relation: str, key: str, as_of, decides: bool) -> str:
    """Open at ``as_of``, over the whole table: created before it and not resolved before it.  Where the status
    decides, a solved/closed/cancelled ticket without ``resolved_at`` has left the backlog and one with
    ``resolved_at`` and an open status is back in it."""
    state = "CAST(status AS VARCHAR)" if decides else "CAST(NULL AS VARCHAR)"
    at = literal(as_of)
    gone = _words(DONE_STATUSES + ("cancelled",))
    return f"""
SELECT key, {count("open")} AS backlog FROM (
  SELECT {key} AS key,
    ({_true(f"created_at < {at}")} AND NOT {_true(f"resolved_at < {at}")}
      AND NOT (resolved_at IS NULL AND {_true(f"{state} IN {gone}")}))
    OR ({_true(f"created_at < {at}")} AND resolved_at IS NOT NULL
      AND {_true(f"{state} IN {_words(OPEN_STATUSES)}")}) AS open
  FROM {relation}
) o
WHERE key IS NOT NULL
GROUP BY key
ORDER BY key"""


def survey_groups_sql(relation: str, key: str) -> str:
    """CSAT % (4–5 of the answers on 1–5) and NPS (promoters 9–10 less detractors 0–6, in points) per group."""
    csat, nps = "CAST(csat AS DOUBLE)", "CAST(nps AS DOUBLE)"
    answered_csat, answered_nps = count(f"{csat} IS NOT NULL"), count(f"{nps} IS NOT NULL")
    return f"""
SELECT {key} AS key,
  {pct(count(_true(f"{csat} >= 4")), answered_csat)} AS csat_pct,
  {pct(count(_true(f"{nps} >= 9")), answered_nps)} - {pct(count(_true(f"{nps} <= 6")), answered_nps)} AS nps,
  {count(_true(f"{csat} >= 4"))} AS n_csat_ok, {answered_csat} AS n_csat_n
FROM {relation}
WHERE {key} IS NOT NULL
GROUP BY {key}
ORDER BY key"""


def breaches_sql(relation: str, as_of) -> str:
    """Open tickets past their response or resolution target at ``as_of``, with how late (minutes), read from a
    relation of timed tickets (``engine.timing.sla_sql``: ``age_min``, ``fr_target``, ``res_target``) with
    ``ticket_id``, ``department`` and ``row__``; by department, the latest first."""
    at = literal(as_of)
    open_ = f"{_true(f'created_at <= {at}')} AND NOT {_true(f'resolved_at <= {at}')}"
    # the relation named once (a CTE): written twice, its own CTEs would be hoisted twice on their way to Spark
    return f"""
WITH timed__ AS (SELECT * FROM {relation})
SELECT ticket_id, department, kind, late_min FROM (
  SELECT ticket_id, department, 'first_response' AS kind, 0 AS k, age_min - fr_target AS late_min, row__
  FROM timed__
  WHERE {open_} AND NOT {_true(f'first_response_at <= {at}')} AND {_true('age_min > fr_target')}
  UNION ALL
  SELECT ticket_id, department, 'resolution' AS kind, 1 AS k, age_min - res_target * 60.0 AS late_min, row__
  FROM timed__
  WHERE {open_} AND {_true('age_min > res_target * 60.0')}
) late
ORDER BY department NULLS LAST, late_min DESC, k, row__"""


def dimension_rates_sql(relation: str, dimensions: tuple[str, ...]) -> str:
    """Per dimension of satisfaction: the answers that scored it and the share scoring 4 or 5 (as csat_pct)."""
    cols = []
    for d in dimensions:
        score = f"TRY_CAST({d} AS DOUBLE)"
        cols += [f"{count(f'{score} IS NOT NULL')} AS n_{d}", f"{pct(count(_true(f'{score} >= 4')), count(f'{score} IS NOT NULL'))} AS pct_{d}"]
    return f"SELECT {', '.join(cols)} FROM {relation}"


def inspection_scores_sql(relation: str, carry: tuple[str, ...] = ("department", "agent")) -> str:
    """One row per inspection: its score %, zero when a critical item is below its max.  Its department and agent
    are the smallest named on its items (they are one department and one agent; the smallest is the same on
    every engine, whatever the order the rows come in)."""
    score, top = "CAST(score AS DOUBLE)", "CAST(max_score AS DOUBLE)"
    return f"""
SELECT inspection_id, score, max_score, critical_fail, {", ".join(carry)},
  CASE WHEN critical_fail THEN 0.0 ELSE CAST(100 AS DOUBLE) * score / (CASE WHEN max_score > 0 THEN max_score END)
  END AS pct
FROM (
  SELECT inspection_id, SUM({score}) AS score, SUM({top}) AS max_score,
    MAX(CASE WHEN {_true("critical")} AND {_true(f"{score} < {top}")} THEN 1 ELSE 0 END) = 1 AS critical_fail,
    {", ".join(f"MIN({c}) AS {c}" for c in carry)}
  FROM {relation}
  WHERE inspection_id IS NOT NULL
  GROUP BY inspection_id
) g
ORDER BY inspection_id"""


def inspection_groups_sql(scores: str, key: str, pass_mark: float) -> str:
    """The quality-inspection score (mean of the inspections' %) and the fail rate (below the pass mark) per group."""
    n = count("pct IS NOT NULL")
    return f"""
SELECT {key} AS key,
  AVG(pct) AS qa_score_pct,
  {pct(count(_true(f"pct < {literal(float(pass_mark))}")), n)} AS qa_fail_rate_pct
FROM {scores}
WHERE {key} IS NOT NULL
GROUP BY {key}
ORDER BY key"""


SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
    "\u200a\u2028\u2029\u202f\u205f\u3000"  # what Python's str.strip() strips: every Unicode space, 全角 too


def pareto_counts_sql(relation: str, unclassified: str) -> str:
    """Tickets (or a weight's sum) per category, blank and spaces-only categories as one ``unclassified`` group
    (DOMAIN.md §5); ``value`` is the category, ``weight`` 1 or the column weighed (blank counts 0)."""
    name = f"NULLIF(TRIM(CAST(value AS VARCHAR), {literal(SPACES)}), '')"
    return f"""
SELECT COALESCE({name}, {literal(unclassified)}) AS category, SUM(COALESCE(CAST(weight AS DOUBLE), 0.0)) AS count
FROM {relation}
GROUP BY COALESCE({name}, {literal(unclassified)})"""
