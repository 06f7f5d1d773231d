"""Early warning (预警检查): open tickets past their targets, control-chart signals, worsened indicators."""
from __future__ import annotations

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import LANGS, current, metric_name, say
from .kpi import read_inputs

P_CHARTS = ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "complaint_rate_pct", "csat_pct")
XMR_CHARTS = ("median_first_response_min", "median_resolution_h")
CALL_P_CHARTS = ("answer_rate_pct", "service_level_pct", "abandon_rate_pct")  # the phone line's rates (p-charts)
CALL_XMR_CHARTS = ("asa_s",)  # and its speed of answer (XmR)
BASELINE_WEEKS = 8
WINDOW_WEEKS = 26  # the charts cover the last 26 weeks of data, whatever the report's period


def weekly(v, metric):
    """(successes, trials) per week (Monday start) of a rate, or the weekly value of a time (``kpi.weekly_counts``:
    the engine's counts, the same that make the period's figure)."""
    from ..core import kpi

    return kpi.weekly_counts(v, metric)


@action("alerts", group="analysis", icon="ConditionalFormattingMenu",
        reads=(schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.CALLS.name,
               schema.STANDARDS.name, schema.CALENDAR.name),
        writes=(schema.CONTROL.name, schema.SIGNALS.name, schema.BREACHES.name, schema.BETTER.name))
def check_alerts(ctx, book, as_of=None, rules=("1",), baseline_weeks: int = BASELINE_WEEKS) -> Outcome:
    """Breaches at ``as_of`` (default: the latest ticket's time), weekly control charts over all the data with
    limits from the first ``baseline_weeks`` weeks, and indicators whose status worsened month on month."""
    import pandas as pd

    data, late, charts = alert_data(ctx, book, as_of, rules, baseline_weeks, keep_charts=True)
    worse_signals = [x for x in data["signals"] if x["direction"] == "worse"]
    better = [x for x in data["signals"] if x["direction"] == "better"]
    worse = data["worsened"]
    lang = current()
    write_sheet(book, data, late, charts, lang)
    details = [say("signal_line", indicator=metric_name(x["indicator"], lang), week=x["week"], value=f"{x['value']:.1f}",
                   lcl=f"{x['lcl']:.1f}", ucl=f"{x['ucl']:.1f}", incident=x["incident"]) for x in worse_signals[:15]]
    by_dept = late.groupby("department").size() if len(late) else pd.Series(dtype=int)
    details += [say("breach_line", department=d, n=int(n)) for d, n in by_dept.items()]
    details += [say("worse_line", indicator=metric_name(w["indicator"], lang), group=scope_words(w["scope"], w["group"]),
                    before=w["from"], after=w["to"]) for w in worse[:10]]
    if better:
        details.append(say("better_heading"))
        details += [say("better_line", indicator=metric_name(x["indicator"], lang), week=x["week"],
                        value=f"{x['value']:.1f}", centre=f"{x['centre']:.1f}") for x in better[:10]]
    return Outcome("alerts_done", {"breaches": len(late), "signals": len(worse_signals), "worse": len(worse),
                                   "better": len(better)},
                   data=data, details=details, log_target=book.sheet_name(schema.CONTROL))


def scope_words(scope: str, group: str) -> str:
    """总体, a channel's label (电话, not phone) or a department's name."""
    if scope == "overall" or not group:
        return say("scope_overall")
    return schema.CHANNEL.label(group, current()) if scope == "channel" else group


def write_sheet(book, data, late, charts, lang: str) -> None:
    """异常预警: the weekly first-response control charts' table, the signals, the overdue open tickets."""
    import pandas as pd

    drawn = {"fr_sla": "first_response_sla_pct", "fr_min": "median_first_response_min", "res_sla": "resolution_sla_pct",
             "csat": "csat_pct"}
    weeks = sorted({w for m in drawn.values() if m in charts for w in charts[m].index})
    control = pd.DataFrame({"week": weeks})
    for prefix, metric in drawn.items():
        c = charts[metric].reindex(weeks) if metric in charts else None
        for suffix, column in (("", "value"), ("_centre", "centre"), ("_lcl", "lcl"), ("_ucl", "ucl")):
            control[prefix + suffix] = c[column].to_numpy() if c is not None else None
    partial = pd.Series(False, index=weeks)
    for c in charts.values():
        partial = partial | c["partial"].reindex(weeks).fillna(False).astype(bool)
    control["partial"] = partial.to_numpy()
    # the last run's overdue tickets (a hundred thousand rows beside the small tables) cleared first, once: each
    # later write of this sheet then reads a small sheet, and the new ones, written last, are streamed into the
    # file at the save, never read back here
    book.write(schema.BREACHES, pd.DataFrame(columns=schema.BREACHES.keys))
    book.write(schema.CONTROL, control.reindex(columns=schema.CONTROL.keys))
    book.set_cells(schema.CONTROL, {"A2": say("control_header", as_of=data["as_of"].replace("T", " "))})
    book.fit_charts(schema.CONTROL)
    words = LANGS[lang].CONTROL
    shown = [x for x in data["signals"] if x["direction"] == "worse"]
    signals = pd.DataFrame([{**sig, "indicator": metric_name(sig["indicator"], lang), "chart": words[sig["chart"]],
                             "rule": words["rule_" + sig["rule"]], "week": pd.Timestamp(sig["week"])}
                            for sig in shown], columns=schema.SIGNALS.keys)
    book.write(schema.SIGNALS, signals)
    better = pd.DataFrame([{**sig, "indicator": metric_name(sig["indicator"], lang), "week": pd.Timestamp(sig["week"])}
                           for sig in data["signals"] if sig["direction"] == "better"], columns=schema.BETTER.keys)
    book.write(schema.BETTER, better)
    book.write(schema.BREACHES, breach_rows(late, lang))


def breach_rows(late, lang: str):
    """The breaches as the sheet shows them: the kind in words, lateness in hours or days as fits."""
    import pandas as pd

    from ..core.incidents import lateness

    words = LANGS[lang].CONTROL
    amounts = [lateness(m) for m in late["late_min"]]
    return pd.DataFrame({"ticket_id": late["ticket_id"], "department": late["department"],
                         "kind": [words["kind_" + k] for k in late["kind"]],
                         "late": [a for a, _ in amounts], "late_unit": [words["unit_" + u] for _, u in amounts]},
                        columns=schema.BREACHES.keys)


def records(frame, columns) -> list[dict]:
    """The rows as JSON records, blanks as None: column by column (a hundred thousand overdue tickets in a
    tenth of the time of ``to_dict("records")``)."""
    lists = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in columns]
    return [dict(zip(columns, r)) for r in zip(*lists)]


def control_charts(ctx, book, as_of=None, rules=("1",), baseline_weeks: int = BASELINE_WEEKS, inputs=None) -> dict:
    """The weekly control charts and their signals (what the report, the highlights and the problems take of the
    alerts): {"frames", "std", "created", "moment", "view", "signals", "charts", "partial_weeks"}; ``inputs`` are
    the (frames, standards) already read, when the caller has them."""
    import pandas as pd

    from ..core import alerts, incidents, kpi
    from .kpi import data_times

    frames, std = inputs or read_inputs(book, ("tickets", "surveys", "inspections", "calls"), where_they_lie=True)
    t, s = frames["tickets"], frames["surveys"]
    created = data_times({"tickets": t}).dropna()  # the tickets' times (an outside source's first and last)
    if created.empty:
        raise QBError("no_tickets", exit_code=1)
    moment = pd.Timestamp(as_of or ctx.as_of) if (as_of or ctx.as_of) else created.max()
    whole = kpi.Period(created.min().to_period("W-SUN").start_time,
                       created.max().normalize() + pd.Timedelta(days=1), moment)
    v = kpi.view(t, s, frames["inspections"], std, whole)
    found, charts = [], {}

    def series():
        """(metric, weekly values or successes, trials or None, the data's first and last moment)"""
        first, last = created.min(), created.max()
        for metric in P_CHARTS + XMR_CHARTS:
            if metric not in v.missing:
                yield (metric, *weekly(v, metric), first, last)
        c = frames.get("calls")
        if c is not None and len(c):  # the phone line (DOMAIN.md §7): p-charts for its rates, XmR for ASA
            from ..core import calls as phone

            w = phone.weekly(c, std.setting("short_abandon_s"), std.setting("service_level_s"))
            unsupplied = phone.unsupplied(c)
            span = (c["started_at"].min(), c["started_at"].max())
            for metric in CALL_P_CHARTS + CALL_XMR_CHARTS:
                if metric not in unsupplied:
                    rate = metric in CALL_P_CHARTS
                    yield (metric, w[phone.WEEKLY_RATES[metric]] if rate else w[metric],
                           w["offered"] if rate else None, *span)
    for metric, a, b, first, last in series():
        weeks = incidents.window(a.index, WINDOW_WEEKS)
        a = a.reindex(weeks)
        partial = incidents.partial_weeks(weeks, first, last)
        base = incidents.baseline(partial, baseline_weeks)
        if b is not None and len(b):
            chart, kind = alerts.p_chart(a, b.reindex(weeks).fillna(0), base), "p"
        else:
            chart, kind = alerts.xmr(a, base), "xmr"
        charts[metric] = chart.assign(partial=partial)
        better_up = incidents.higher_is_better(metric, std.targets)
        for week, rule in alerts.signals(chart.assign(value=chart["value"].where(~partial)), rules):
            r = chart.loc[week]
            found.append({"indicator": metric, "chart": kind, "week": week.date().isoformat(),
                          "value": float(r["value"]), "centre": float(r["centre"]), "lcl": float(r["lcl"]),
                          "ucl": float(r["ucl"]), "rule": rule, "scope": "overall",
                          "direction": incidents.direction(float(r["value"]), float(r["centre"]), better_up)})
    incidents.number_incidents(found)
    partial_weeks = sorted({w.date().isoformat() for c in charts.values() for w in c.index[c["partial"].to_numpy()]})
    return {"frames": frames, "std": std, "created": created, "moment": moment, "view": v, "signals": found,
            "charts": charts, "partial_weeks": partial_weeks}


def control_signals(ctx, book, as_of=None, inputs=None) -> list[dict]:
    """The control charts' signals alone (no breaches, no month compared with the one before)."""
    return control_charts(ctx, book, as_of, inputs=inputs)["signals"]


def alert_data(ctx, book, as_of=None, rules=("1",), baseline_weeks: int = BASELINE_WEEKS, keep_charts=False,
               inputs=None):
    """The alerts as the JSON says them, and the breaches as a frame (and the weekly charts)."""
    import pandas as pd

    from ..core import alerts, kpi
    from .kpi import choose_period

    c = control_charts(ctx, book, as_of, rules, baseline_weeks, inputs)
    frames, std, created, moment, charts = c["frames"], c["std"], c["created"], c["moment"], c["charts"]
    t, s = frames["tickets"], frames["surveys"]
    late = kpi.late_tickets(t, std, moment)  # on the SLA clock; complaints held to their stricter targets
    now_p = choose_period(created)
    prev_start = now_p.start - pd.offsets.MonthBegin(1)
    prev = kpi.month_period(prev_start.strftime("%Y-%m"))
    # what ``worsened`` compares: no breakdown by agent, medians and P90 only when one of them has a target
    quantiles = any(m in kpi.QUANTILES for m in std.targets)
    results = [kpi.result(kpi.view(t, s, frames["inspections"], std, p, known=c["view"]),
                          dims=("channel", "department"), quantiles=quantiles) for p in (prev, now_p)]
    words = LANGS["zh"].STATUS
    worse = [{**w, "from": words[w["from"]], "to": words[w["to"]]}
             for w in alerts.worsened(results[0], results[1], std.targets, kpi.status)]
    data = {"as_of": moment.isoformat(),
            "breaches": records(late, ("ticket_id", "department", "kind", "late_min")),
            "signals": c["signals"], "worsened": worse, "partial_weeks": c["partial_weeks"]}
    return (data, late, charts) if keep_charts else (data, late)
