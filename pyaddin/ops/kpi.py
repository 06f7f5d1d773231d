"""The KPI action: read the three input tables and the standards, compute, write the dashboard."""
from __future__ import annotations

from .. import schema
from ..action import Outcome, action
from ..errors import DataProblems, QBError
from ..locale import listing, say
from .data import problem_lines

SCOPES = ("overall", "channel", "department", "agent")
KPI_READS = (schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.CALLS.name,
             schema.STANDARDS.name, schema.CALENDAR.name, schema.MAPPING.name)


def choose_period(created, period=None, quarter=None, date_from=None, date_to=None, as_of=None):
    """--period YYYY-MM | --quarter YYYYQn | --from/--to; default: the last calendar month that holds tickets."""
    import pandas as pd

    from ..core import kpi

    if as_of is not None:
        try:
            as_of = pd.Timestamp(as_of)
        except (ValueError, TypeError):
            raise QBError("bad_as_of", value=str(as_of)) from None
        if pd.isna(as_of):
            raise QBError("bad_as_of", value="")
    try:
        if period:
            return kpi.month_period(period, as_of)
        if quarter:
            return kpi.quarter_period(quarter.upper(), as_of)
        if date_from or date_to:
            start, last = pd.Timestamp(date_from or created.min()), pd.Timestamp(date_to or created.max())
            if pd.isna(start) or pd.isna(last):
                raise DataProblems("no_tickets")
            if start > last:
                raise QBError("period_reversed", start=str(date_from), end=str(date_to))
            return kpi.period(start, last, as_of)
    except (ValueError, TypeError) as e:
        raise QBError("bad_period", value=str(period or quarter or f"{date_from}..{date_to}"), reason=str(e)) from None
    p = kpi.last_month_with_tickets(created, as_of)
    if p is None:
        raise DataProblems("no_tickets")
    return p


def unassigned_in(result: dict, lang: str) -> dict:
    """The by-agent group of rows without an agent, named in the workbook's language (未分配 / Unassigned)."""
    from ..core import kpi
    from ..locale import text

    agents = result.get("by_agent")
    if agents and kpi.UNASSIGNED in agents:
        result["by_agent"] = {text("unassigned", lang) if k == kpi.UNASSIGNED else k: v for k, v in agents.items()}
    return result


def data_times(frames):
    """When the data happened: tickets by creation, or, in a book without tickets, surveys and inspections."""
    import pandas as pd

    created = frames["tickets"]["created_at"]
    if created.notna().any():
        return created
    calls = frames["calls"]["started_at"] if "calls" in frames else None
    return pd.concat([frames["surveys"]["submitted_at"], frames["inspections"]["inspected_at"], calls],
                     ignore_index=True)


def read_inputs(book):
    """The typed input tables; any unreadable cell stops the calculation (the numbers would be wrong)."""
    from ..core import kpi

    parsed = book.read_many([schema.TICKETS, schema.SURVEYS, schema.INSPECTIONS]
                            + ([schema.CALLS] if book.has_table(schema.CALLS) else []))
    frames = {key: p.data for key, p in parsed.items()}
    issues = [i for p in parsed.values() for i in p.issues]
    if issues:
        raise DataProblems("kpi_refused", count=len(issues), details=problem_lines(issues))
    std = kpi.Standards.from_table(book.read(schema.STANDARDS).data)
    if book.has_table(schema.CALENDAR):
        std.calendar = _config(book, schema.CALENDAR)
    return frames, std


def _config(book, table):
    """A configuration table the calculation needs read cleanly (a holiday that is no date would move SLAs)."""
    parsed = book.read(table)
    if parsed.issues:
        raise DataProblems("kpi_refused", count=len(parsed.issues), details=problem_lines(parsed.issues))
    return parsed.data


def kpi_rows(result: dict, std, lang: str):
    """The long table of the dashboard: one row per scope, group and metric, value beside target and status."""
    import pandas as pd

    from ..core import kpi
    from ..locale import LANGS, metric_name

    words, status_words = LANGS[lang].DASHBOARD, LANGS[lang].STATUS
    rows = []
    for scope in SCOPES:
        groups = {"": result["overall"]} if scope == "overall" else result[f"by_{scope}"]
        for group, metrics in groups.items():
            label = schema.CHANNEL.label(group, lang) if scope == "channel" else group
            for m in kpi.METRICS:
                target = std.targets.get(m)
                st = kpi.status(metrics[m], target)
                shown = status_words.get(st) if metrics[m] is not None else status_words["no_data"]
                rows.append({"scope": words[scope], "group": label or words["overall"], "metric": m,
                             "name": metric_name(m, lang), "value": metrics[m],
                             "target": target[1] if target else None, "status": shown})
    return pd.DataFrame(rows, columns=schema.KPI.keys)


def overview_rows(now: dict, before: dict, std, lang: str):
    """The cards (one row per headline indicator) and the channel and department matrices."""
    import pandas as pd

    from ..core import kpi
    from ..locale import LANGS, metric_name

    status_words = LANGS[lang].STATUS

    def shown(r):  # a status word; 无数据 when the indicator has no value, blank when it has no target
        return status_words[r["status"]] if r["status"] else (status_words["no_data"] if r["value"] is None else None)

    cards = pd.DataFrame([{**r, "name": metric_name(r["metric"], lang), "status": shown(r)}
                          for r in kpi.headline(now["overall"], before["overall"], std)], columns=schema.KPI_CARDS.keys)

    def matrix(groups: dict, table, label=lambda g: g):
        return pd.DataFrame([{"group": label(g), **{m: v[m] for m in schema.HEADLINE_KEYS}} for g, v in groups.items()],
                            columns=table.keys)

    # every channel, in the list's order, blank where it had no tickets: the matrix keeps its size (schema.KPI_CARDS)
    channels = {k: now["by_channel"].get(k, dict.fromkeys(schema.HEADLINE_KEYS)) for k in schema.CHANNEL.keys()}
    return (cards, matrix(channels, schema.KPI_BY_CHANNEL, lambda g: schema.CHANNEL.label(g, lang)),
            matrix(now["by_department"], schema.KPI_BY_DEPARTMENT))


def heatmap_rows(vol, sla):
    import pandas as pd

    out = pd.DataFrame({"hour": range(24)})
    for i, d in enumerate(schema.WEEKDAY_KEYS):
        out[f"volume_{d}"] = vol[i].to_numpy()
    for i, d in enumerate(schema.WEEKDAY_KEYS):
        out[f"sla_{d}"] = sla[i].to_numpy()
    return out


@action("kpi", group="analysis", icon="CalculateNow", reads=KPI_READS,
        writes=(schema.KPI_CARDS.name, schema.KPI_BY_CHANNEL.name, schema.KPI_BY_DEPARTMENT.name, schema.KPI.name,
                schema.KPI_TREND.name, schema.KPI_HEATMAP.name))
def compute_kpi(ctx, book, period=None, quarter=None, date_from=None, date_to=None, as_of=None) -> Outcome:
    from ..core import kpi, visits
    from ..core import surveys as participation
    from ..locale import LANGS

    frames, std = read_inputs(book)
    p = choose_period(data_times(frames), period, quarter, date_from, date_to, as_of or ctx.as_of)
    v = kpi.view(frames["tickets"], frames["surveys"], frames["inspections"], std, p, frames.get("calls"))
    if v.t.empty and v.s.empty and v.i.empty:  # nothing to show: the dashboard keeps what it had
        pj = p.as_json()
        raise DataProblems("no_tickets_in_period", start=pj["start"], end=pj["end"])
    result = unassigned_in(kpi.result(v), book.lang)
    result["calls"] = phone_line(frames.get("calls"), std, p)
    result["sla_clock"] = sla_clock(std, p)
    result["visits"] = visits.result(v.t, std.setting("visit_grace_min"))
    result["surveys"] = participation.response(frames["surveys"], p)
    before = kpi.result(kpi.view(frames["tickets"], frames["surveys"], frames["inspections"], std,
                                 kpi.previous_period(p), frames.get("calls")), dims=())
    trend = kpi.weekly_trend(v)
    vol, sla = kpi.hour_weekday(v)
    book.write(schema.KPI, kpi_rows(result, std, book.lang))
    book.write(schema.KPI_TREND, trend.reindex(columns=schema.KPI_TREND.keys))
    book.write(schema.KPI_HEATMAP, heatmap_rows(vol, sla))
    for table, rows in zip((schema.KPI_CARDS, schema.KPI_BY_CHANNEL, schema.KPI_BY_DEPARTMENT),
                           overview_rows(result, before, std, book.lang)):
        book.write(table, rows)
    pj = result["period"]
    header = LANGS[book.lang].DASHBOARD["header"].format(
        start=pj["start"], end=pj["end"], as_of=pj["as_of"].replace("T", " "), at=ctx.now().isoformat(sep=" "))
    book.set_cells(schema.KPI, {"A2": header})
    book.set_cells(schema.KPI_CARDS, {"A2": header})
    book.fit_charts(schema.KPI_TREND)
    o = result["overall"]
    gaps = result["sla_clock"]["years_without_calendar"]
    return Outcome("kpi_done", {"start": pj["start"], "end": pj["end"], "tickets": o["tickets"],
                                "fr": _fmt(o["first_response_sla_pct"]), "csat": _fmt(o["csat_pct"]),
                                "qa": _fmt(o["qa_score_pct"])}, data=result,
                   details=([say("kpi_no_tickets")] if v.t.empty else [])
                   + ([say("no_holidays_listed", years=listing(gaps), sheet=book.sheet_name(schema.CALENDAR))]
                      if gaps else []),
                   log_target=book.sheet_name(schema.KPI), log_detail=f"{pj['start']}..{pj['end']} as of {pj['as_of']}")


def sla_clock(std, p) -> dict:
    """Which clock the SLA figures use; with working time, the years the calendar lists no holiday for (computed
    with the working weekdays alone, and said)."""
    from ..core.clock import years_without_calendar

    clock = std.setting("sla_clock")
    gaps = years_without_calendar(std.calendar, p.start, p.end) if clock == "working" else []
    return {"clock": clock, "years_without_calendar": gaps}


def phone_line(calls, std, p) -> dict | None:
    """The calls indicators of the period (None for a book without a call table)."""
    from ..core import calls as phone

    if calls is None:
        return None
    return phone.result(calls, p, std.setting("short_abandon_s"), std.setting("service_level_s"))


def _fmt(v):
    return "—" if v is None else f"{v:.1f}"
