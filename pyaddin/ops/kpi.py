"""The KPI action: read the three input tables and the standards, compute, write the dashboard."""
from __future__ import annotations

from .. import schema
from ..action import Outcome, action
from ..errors import DataProblems, QBError
from ..locale import listing, say, text
from .data import problem_lines

SCOPES = ("overall", "channel", "department", "agent")
KPI_READS = (schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.CALLS.name,
             schema.STANDARDS.name, schema.CALENDAR.name)


def choose_period(created, period=None, quarter=None, date_from=None, date_to=None, as_of=None, week=None, year=None):
    """--period YYYY-MM | --quarter YYYYQn | --week YYYY-Wnn | --year YYYY | --from/--to; default: the last
    calendar month that holds tickets."""
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
        if week:
            return kpi.week_period(week, as_of)
        if year:
            return kpi.year_period(str(year), as_of)
        if date_from or date_to:
            start, last = pd.Timestamp(date_from or created.min()), pd.Timestamp(date_to or created.max())
            if pd.isna(start) or pd.isna(last):
                raise DataProblems("no_tickets")
            if start > last:
                raise QBError("period_reversed", start=str(date_from), end=str(date_to))
            return kpi.period(start, last, as_of)
    except (ValueError, TypeError) as e:
        raise QBError("bad_period", value=str(period or quarter or week or year or f"{date_from}..{date_to}"),
                      reason=str(e)) from None
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
    """When the data happened: tickets by creation, or, in a book without tickets, surveys and inspections (of
    an outside source, its first and last time: all a period is chosen by)."""
    import pandas as pd

    from ..engine.rows import Rows

    def times(table, column):
        rel = frames[table]
        if not isinstance(rel, Rows):
            return rel[column]
        from ..engine import duck

        first_last = duck.query(f"SELECT MIN({column}) AS lo, MAX({column}) AS hi FROM {rel.sql}").iloc[0]  # one scan
        return pd.Series(list(first_last), dtype="datetime64[ns]").dropna()

    created = times("tickets", "created_at")
    if created.notna().any():
        return created
    calls = frames["calls"]["started_at"] if "calls" in frames else None
    others = [times(k, c) for k, c in (("surveys", "submitted_at"), ("inspections", "inspected_at")) if k in frames]
    return pd.concat([created, *others, calls], ignore_index=True)


INPUTS = ("tickets", "surveys", "inspections")


def read_inputs(book, keys=INPUTS, where_they_lie: bool = False):
    """The typed input tables an action uses (``keys``; the others come as empty tables, none of their
    rows read) and the standards; any unreadable cell stops the calculation (the numbers would be wrong).
    An outside source comes as a frame, or with ``where_they_lie`` as the engine's rows (``engine.rows.Rows``),
    nothing of it read into Python."""
    from ..core import kpi
    from ..engine import source
    from ..validate import parse_table

    outside = source.configured(book, keys)
    source.on_spark(book, outside)  # a table in a Spark session: the action's every query runs there
    frames = {}
    if where_they_lie and hasattr(book, "rows"):  # the workbook's own tables where their columnar copy lies
        for k in set(keys) & set(INPUTS) - set(outside):
            rows = book.rows(schema.table(k))
            if rows is not None:
                frames[k] = rows
    parsed = book.read_many([schema.table(k) for k in keys
                             if k not in outside and k not in frames and (k != "calls" or book.has_table(schema.CALLS))])
    frames.update({key: p.data for key, p in parsed.items()})
    book.sources_read = {}
    for key, src in outside.items():  # read by DuckDB where they lie: the filter and the columns applied there
        rows = source.rows(book, src)
        lie = where_they_lie and key in INPUTS  # the phone line's calls are still read as a frame
        frames[key] = rows if lie else rows.to_frame().drop(columns="row__")
        book.sources_read[key] = (src.where, rows.count())
    issues = [i for p in parsed.values() for i in p.issues]
    if issues:
        raise DataProblems("kpi_refused", count=len(issues), details=problem_lines(issues))
    for key in set(INPUTS) - set(keys):
        import pandas as pd

        t = schema.table(key)
        frames[key] = parse_table(t, pd.DataFrame({f.key: pd.Series(dtype=object) for f in t.fields}),
                                  pd.Series(dtype="int64")).data
    std = kpi.Standards.from_table(book.read(schema.STANDARDS).data)
    if "tickets" in keys and book.has_table(schema.CALENDAR):  # the SLA clock's holidays and 调休 days
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
    for scope in SCOPES + (("region",) if "by_region" in result else ()):
        groups = {"": result["overall"]} if scope == "overall" else result[f"by_{scope}"]
        for group, metrics in groups.items():
            label = schema.CHANNEL.label(group, lang) if scope == "channel" else group
            for m in kpi.METRICS:
                target = std.targets.get(m)
                st = kpi.status(metrics[m], target)
                shown = status_words.get(st) if metrics[m] is not None else status_words["no_data"]
                rows.append({"scope": words[scope], "group": label or words["overall"], "metric": m,
                             "name": metric_name(m, lang), "value": metrics[m],
                             "target": target[1] if target else None, "status": shown,
                             "benchmark": std.benchmarks.get(m)})
    return pd.DataFrame(rows, columns=schema.KPI.keys)


def overview_rows(now: dict, before: dict, std, lang: str, v=None):
    """The cards (one row per headline indicator) and the channel and department matrices, each group with its
    sample sizes."""
    import pandas as pd

    from ..core import kpi
    from ..locale import metric_name

    cards = pd.DataFrame([{**r, "name": metric_name(r["metric"], lang), "status": card_status(r, lang)}
                          for r in kpi.headline(now["overall"], before["overall"], std)], columns=schema.KPI_CARDS.keys)

    def matrix(groups: dict, table, dim: str, label=lambda g: g):
        sizes = v.sizes(dim) if v is not None else {}
        rows = []
        for g, values in groups.items():
            n = {k: int(c.get(g, 0)) for k, c in sizes.items() if c is not None and k in table.keys}
            rows.append({"group": label(g), **({} if values["tickets"] is None else n),
                         **{m: values[m] for m in schema.HEADLINE_KEYS}})
        return pd.DataFrame(rows, columns=table.keys)

    # every channel, in the list's order, blank where it had no tickets: the matrix keeps its size (schema.KPI_CARDS)
    blank = dict.fromkeys(("tickets", *schema.HEADLINE_KEYS))
    channels = {k: now["by_channel"].get(k, blank) for k in schema.CHANNEL.keys()}
    return (cards, matrix(channels, schema.KPI_BY_CHANNEL, "channel", lambda g: schema.CHANNEL.label(g, lang)),
            matrix(now["by_department"], schema.KPI_BY_DEPARTMENT, "department"))


MAJOR_ROW = schema.KPI_CARDS.top + len(schema.HEADLINE_KEYS) + 1  # the line under the cards


def major_line(n: int | None, lang: str) -> str:
    from ..locale import LANGS

    words = LANGS[lang].DASHBOARD
    return words["major_none"] if n is None else words["major"].format(n=n)


def card_status(r: dict, lang: str):
    """A card's status word; 无数据 when the indicator has no value, blank when it has no target."""
    from ..locale import LANGS

    words = LANGS[lang].STATUS
    return words[r["status"]] if r["status"] else (words["no_data"] if r["value"] is None else None)


def _card_row(table, keys, o: dict, b: dict, std, lang: str):
    """A card row under the headline cards: each indicator of ``keys`` against its target, the previous period and
    the change, its status in words (无数据 without a value)."""
    import pandas as pd

    from ..core import kpi
    from ..locale import metric_name

    rows = [{**r, "name": metric_name(r["metric"], lang), "status": card_status(r, lang)}
            for r in kpi.headline(o, b, std, keys)]
    return pd.DataFrame(rows, columns=table.keys)


def phone_cards(now: dict | None, before: dict | None, std, lang: str):
    """The phone line's card row (answer rate, service level, abandon rate, ASA, AHT) and its title with the calls
    offered; 无数据 on every card without calls."""
    from ..locale import LANGS

    o, b = (now or {}).get("overall") or {}, (before or {}).get("overall") or {}
    words = LANGS[lang].DASHBOARD
    offered = o.get("calls_offered")
    title = words["phone_title"].format(offered=offered, seconds=f"{now['service_level_s']:g}") if offered \
        else words["phone_none"]
    return _card_row(schema.KPI_PHONE, schema.PHONE_KEYS, o, b, std, lang), title


def visit_cards(now: dict, before: dict | None, std, lang: str):
    """The on-site visits' card row (on-time visit rate, median visit duration, first-visit fix rate) and its title
    with the visits counted; 无数据 without visits."""
    from ..locale import LANGS

    o, b = now.get("overall") or {}, (before or {}).get("overall") or {}
    words = LANGS[lang].DASHBOARD
    title = words["visits_title"].format(n=o["visits"], grace=f"{std.setting('visit_grace_min'):g}") \
        if o.get("visits") else words["visits_none"]
    return _card_row(schema.KPI_VISITS, schema.VISIT_KEYS, o, b, std, lang), title


def agent_rows(result: dict, v, lang: str):
    """The best and the worst agents by first-response SLA, each over at least MIN_SAMPLE tickets (never 未分配),
    with their samples and main rates: who to learn from and who to coach."""
    import pandas as pd

    from ..core.kpi import UNASSIGNED
    from ..locale import LANGS

    words = LANGS[lang].DASHBOARD
    sizes = v.sizes("agent")
    dept = v.agent_departments()
    ranked = sorted(((a, m) for a, m in result["by_agent"].items()
                     if a != UNASSIGNED and m["tickets"] >= schema.MIN_SAMPLE and m["first_response_sla_pct"] is not None),
                    key=lambda am: (-am[1]["first_response_sla_pct"], am[0]))
    k = min(schema.TOP_AGENTS, len(ranked) // 2)
    picked = [(f"{words['best']} {i + 1}", a, m) for i, (a, m) in enumerate(ranked[:k])]
    picked += [(f"{words['worst']} {i + 1}", a, m) for i, (a, m) in enumerate(reversed(ranked[len(ranked) - k:]))]
    return pd.DataFrame([{"rank": r, "agent": a, "department": dept.get(a), "tickets": int(sizes["tickets"].get(a, 0)),
                          "surveys": int(sizes["surveys"].get(a, 0)),
                          **{f: m[f] for f in schema.KPI_AGENTS.keys if f in m and f != "tickets"}}
                         for r, a, m in picked], columns=schema.KPI_AGENTS.keys).reindex(range(2 * schema.TOP_AGENTS))
    # always the same number of rows (blank ones when fewer agents qualify), as the build laid it out


def monthly_rows(frames: dict, std, p, v=None):
    """The headline rates month by month, the period's last month and the twelve before it, each beside its
    target; a month without tickets stays blank."""
    import pandas as pd

    from ..core import kpi

    last = (p.end - pd.Timedelta(days=1)).to_period("M")
    months = pd.period_range(last - (schema.MONTHS - 1), last, freq="M")
    span = kpi.period(months[0].start_time, months[-1].end_time.normalize(), p.as_of)
    months_view = kpi.view(frames["tickets"], frames["surveys"], frames["inspections"], std, span, known=v)
    figures = kpi.monthly(months_view, schema.MONTHLY_KEYS).reindex([str(m) for m in months])  # a month without data: NaN
    figures = figures.astype(object).where(figures.notna(), None)
    rows = []
    for m, o in figures.iterrows():
        rows.append({"month": m, "tickets": int(o["tickets"]) if o["tickets"] else None,
                     **{k: None if o[k] is None else float(o[k]) for k in schema.MONTHLY_KEYS},
                     **{f"target_{k}": std.targets[k][1] if k in std.targets else None for k in schema.MONTHLY_KEYS}})
    return pd.DataFrame(rows, columns=schema.KPI_MONTHLY.keys)


def heatmap_rows(vol, sla):
    import pandas as pd

    out = pd.DataFrame({"hour": range(24)})
    for i, d in enumerate(schema.WEEKDAY_KEYS):
        out[f"volume_{d}"] = vol[i].to_numpy()
    for i, d in enumerate(schema.WEEKDAY_KEYS):
        out[f"sla_{d}"] = sla[i].to_numpy()
    return out


@action("kpi", group="analysis", icon="CalculateNow", reads=KPI_READS,
        writes=(schema.KPI_CARDS.name, schema.KPI_PHONE.name, schema.KPI_VISITS.name, schema.KPI_BY_CHANNEL.name, schema.KPI_BY_DEPARTMENT.name, schema.KPI.name,
                schema.KPI_TREND.name, schema.KPI_HEATMAP.name, schema.KPI_AGENTS.name, schema.KPI_MONTHLY.name))
def compute_kpi(ctx, book, period=None, quarter=None, date_from=None, date_to=None, as_of=None) -> Outcome:
    import pandas as pd

    from ..core import kpi, visits
    from ..core import surveys as participation
    from ..core.regions import by_region
    from ..locale import LANGS

    frames, std = read_inputs(book, INPUTS + ("calls",), where_they_lie=True)
    p = choose_period(data_times(frames), period, quarter, date_from, date_to, as_of or ctx.as_of)
    v = kpi.view(frames["tickets"], frames["surveys"], frames["inspections"], std, p, frames.get("calls"))
    if v.empty:  # nothing to show: the dashboard keeps what it had
        pj = p.as_json()
        raise DataProblems("no_tickets_in_period", start=pj["start"], end=pj["end"])
    result = unassigned_in(kpi.result(v), book.lang)
    result["calls"] = phone_line(frames.get("calls"), std, p)
    result["sla_clock"] = sla_clock(std, p)
    result["visits"] = visits.result(v.visits(p), std.setting("visit_grace_min"))
    result["surveys"] = participation.response(v.invitations(p), p)
    result["surveys"]["dimensions"] = v.dimension_rates()  # 服务态度, 响应速度, 解决能力, 等待体验
    result["major_complaints"] = v.major_complaints()  # 重大投诉: beside the overall figures
    regions = by_region(v)
    if regions is not None:  # where tickets carry a region (区域): a breakdown like the department's
        result["by_region"] = regions
    if book.sources_read:  # only with an outside source: the book's own JSON stays as it was
        result["sources"] = {k: {"source": w, "rows": n} for k, (w, n) in book.sources_read.items()}
    before = kpi.result(kpi.view(frames["tickets"], frames["surveys"], frames["inspections"], std,
                                 kpi.previous_period(p), frames.get("calls"), known=v), dims=(),
                        quantiles=False)  # the cards' previous period: rates and counts (HEADLINE_KEYS)
    trend = kpi.weekly_trend(v)
    vol, sla = kpi.hour_weekday(v)
    book.write(schema.KPI, kpi_rows(result, std, book.lang))
    # a week the period cuts (it starts before the period or ends after it) holds only some of its days
    trend["partial"] = (trend["week"] < p.start) | (trend["week"] + pd.Timedelta(days=7) > p.end)
    book.write(schema.KPI_TREND, trend.reindex(columns=schema.KPI_TREND.keys))
    book.write(schema.KPI_HEATMAP, heatmap_rows(vol, sla))
    book.write(schema.KPI_AGENTS, agent_rows(result, v, book.lang))
    book.write(schema.KPI_MONTHLY, monthly_rows(frames, std, p, v))
    for table, rows in zip((schema.KPI_CARDS, schema.KPI_BY_CHANNEL, schema.KPI_BY_DEPARTMENT),
                           overview_rows(result, before, std, book.lang, v)):
        book.write(table, rows)
    prev = kpi.previous_period(p)
    if book.has_table(schema.KPI_PHONE):  # a workbook made before the phone line's cards: the rest is written
        cards, title = phone_cards(result["calls"], phone_line(frames.get("calls"), std, prev), std, book.lang)
        book.write(schema.KPI_PHONE, cards)
        book.set_cells(schema.KPI_PHONE, {above(book, schema.KPI_PHONE): title})
    if book.has_table(schema.KPI_VISITS):
        visits_before = visits.result(v.visits(prev), std.setting("visit_grace_min"))
        visit_rows, visit_title = visit_cards(result["visits"], visits_before, std, book.lang)
        book.write(schema.KPI_VISITS, visit_rows)
        book.set_cells(schema.KPI_VISITS, {above(book, schema.KPI_VISITS): visit_title})
    older = [t for t in (schema.KPI_PHONE, schema.KPI_VISITS) if not book.has_table(t)]
    book.set_cells(schema.KPI_CARDS, {f"A{MAJOR_ROW}": major_line(result["major_complaints"], book.lang)})
    pj = result["period"]
    header = LANGS[book.lang].DASHBOARD["header"].format(
        start=pj["start"], end=pj["end"], as_of=pj["as_of"].replace("T", " "), at=ctx.now().isoformat(sep=" "))
    # the figures of an outside source say so, on the line below (the paths are in the command's output); blank
    # when every table is the workbook's own, so an earlier run's line does not stay
    outside = source_header(book)
    book.set_cells(schema.KPI, {"A2": header, "A3": outside})
    book.set_cells(schema.KPI_CARDS, {"A2": header, "A3": outside})
    book.set_cells(schema.KPI_HEATMAP, {above(book, schema.KPI_HEATMAP): header})  # atop the printed second page
    book.fit_charts(schema.KPI_TREND)
    o = result["overall"]
    gaps = result["sla_clock"]["years_without_calendar"]
    done = {"start": pj["start"], "end": pj["end"], "tickets": o["tickets"], "fr": _fmt(o["first_response_sla_pct"]),
            "csat": _fmt(o["csat_pct"]), "qa": _fmt(o["qa_score_pct"])}
    return Outcome("kpi_done", done, data=result,
                   details=source_lines(book) + ([say("kpi_no_tickets")] if v.n == 0 else [])
                   + ([say("kpi_older_book", cards=listing([LANGS[book.lang].DASHBOARD[
                       "phone" if t is schema.KPI_PHONE else "visits"] for t in older]))] if older else [])
                   + ([say("no_holidays_listed", years=listing(gaps), sheet=book.sheet_name(schema.CALENDAR))]
                      if gaps else []),
                   log_target=book.sheet_name(schema.KPI),
                   log_detail=text("log_as_of", book.lang, as_of=str(pj["as_of"]).replace("T", " ")[:16],
                                   message=text("kpi_done", book.lang, **done)))


def above(book, table) -> str:
    """The cell just above the table's header, where the book holds it (a book laid out by an earlier version
    keeps its blocks elsewhere: a title written by the schema's place could land in another table)."""
    from ..ooxml.sheetdata import col_letter

    col, top = book.origin(table)
    return f"{col_letter(col)}{top - 1}"


def source_header(book) -> str:
    """The line a dashboard or report carries below its title when tables came from outside the workbook (which,
    and how many rows); blank when every table is the workbook's own, so an earlier run's line does not stay."""
    read = getattr(book, "sources_read", None) or {}
    return say("source_header", tables=", ".join(
        say("source_rows", table=book.sheet_name(schema.table(k)), rows=f"{n:,}") for k, (_, n) in read.items())) \
        if read else ""


def source_lines(book) -> list[str]:
    """Where the tables outside the workbook came from, and how many rows each held."""
    return [say("source_line", table=k, where=w, rows=f"{n:,}") for k, (w, n) in getattr(book, "sources_read", {}).items()]


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
