"""The report as an .xlsx (native charts, A4 landscape, titles, headers and footers) and as one self-contained
.html file.  Both render the same sections (``sections``): texts and tables whose columns say how their numbers
read (counts as integers, rates and times to one decimal), so the two files always agree."""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

from .. import schema
from ..charts.axes import show_axes
from ..inert import save_workbook
from ..locale import LANGS, metric_name, say
from ..ooxml.text import printed_width
from .content import MIN_SAMPLE, SAMPLE_OF

STATUS_COLOURS = {"met": "C6EFCE", "warning": "FFEB9C", "missed": "FFC7CE"}
BETTER, WORSE, GREY = "006100", "C00000", "808080"
TREND = ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct")
FORMATS = {"int": "0", "num": "0.0", "date": "yyyy-mm-dd", "text": "@"}
WIDTHS = (24, 14, 12, 12, 12, 20, 10, 30)  # columns A–H: the printed width
FIRST_PAGE_ROWS = 12  # a chart's section starting below this row begins a new printed page
HELPER = 20  # the first hidden column holding what the .xlsx charts draw (weeks, the 80 % line)


@dataclass
class Change:
    """A change against the previous period, read by the indicator's direction (▲/▼, green when better)."""
    value: float | None
    direction: str | None


@dataclass
class Small:
    """A rate over fewer than the minimum sample: shown greyed as 样本不足, never as a number to act on."""


@dataclass
class Table:
    headers: list[str]
    kinds: list[str]  # per column: text, int, num, date, status, change
    rows: list[list]


def _empty(v) -> bool:
    """No value: None, NaN, pandas' NA or NaT."""
    import pandas as pd

    return v is None or (not isinstance(v, (str, list, Change, Small)) and bool(pd.isna(v)))


def _text(v) -> str:
    return v if isinstance(v, str) and v else "-"




def _n(v, digits=1) -> str:
    return "—" if _empty(v) else f"{v:.{digits}f}"


def recommendations(r: dict, lang: str) -> list[str]:
    """What the numbers suggest, each naming the indicator, its scope, the size of the gap and where to look
    next (the worst time of day or category the data show); then the Pareto's first category, overdue
    actions, and a forecast that crosses its target."""
    w = LANGS[lang].REPORT
    out = []
    for row in r["kpis"]:
        if row["status"] not in ("missed", "warning"):
            continue
        m = row["metric"]
        name = metric_name(m, lang)
        unit = w["points"] if m.endswith("_pct") else w["units"]
        text = w["rec_indicator"].format(metric=name, value=_n(row["value"]), target=f"{row['target']:g}",
                                         gap=_n(abs(row["target"] - row["value"])), unit=unit)
        if m in r["worst"]:
            dept, value, n = r["worst"][m]
            text += w["rec_scope" if SAMPLE_OF.get(m, "tickets") == "tickets" else "rec_scope_surveys"].format(dept=dept, dept_value=_n(value), n=n)
        steps = r["next_steps"].get(m, {})
        if steps.get("hours"):
            h = steps["hours"]
            text += w["rec_hours"].format(start=h["from"], end=h["to"], metric=name, value=_n(h["value"]), n=h["n"])
        elif steps.get("category"):
            c = steps["category"]
            text += w["rec_category"].format(category=c["category"], metric=name, value=_n(c["value"]), n=c["n"])
        else:
            text += w["rec_plain"]
        out.append(text + ("。" if lang == "zh" else "."))
    vital = r["pareto"][r["pareto"]["vital_few"]] if len(r["pareto"]) else r["pareto"]
    if len(vital):
        top = vital.iloc[0]
        known = set(r["problems"]["category"].dropna()) if "category" in r["problems"] else set()
        key = "rec_pareto_known" if top["category"] in known else "rec_pareto_new"
        out.append(say(key, category=top["category"], pct=f"{top['pct']:.1f}", n=len(vital)))
    for a in r["overdue"].itertuples(index=False):
        out.append(say("rec_overdue", action=a.action_id, measure=a.measure, dept=a.department or "-",
                       deadline=a.deadline.date().isoformat()))
    targets = {row["metric"]: row for row in r["kpis"]}
    for m, f in r["forecast"].items():
        t = targets.get(m)
        if not f or f["uncertain"] or not t or t["target"] is None:
            continue
        crosses = f["value"] < t["target"] if t["direction"] == "ge" else f["value"] > t["target"]
        if crosses:
            out.append(say("rec_forecast", metric=metric_name(m, lang), value=_n(f["value"]),
                           target=f"{t['target']:g}"))
    return out or [say("rec_none")]


def _p_shown(p) -> str:
    """The p-value as the plan sheet stores it (``p<0.001`` / ``p=0.012``, improve.p_text) or a number."""
    if isinstance(p, str):
        return p.removeprefix("p")  # "<0.001" or "=0.012", after the p the sentence writes
    return "<0.001" if p < 0.001 else f"={p:.3f}"


def _events(r: dict, lang: str) -> list:
    w = LANGS[lang].REPORT
    signals = [w["signal_line"].format(week=s["week"], metric=metric_name(s["indicator"], lang), value=_n(s["value"]),
                                       lcl=_n(s["lcl"]), ucl=_n(s["ucl"]), centre=_n(s["centre"])) for s in r["signals"]]
    breaches = [w["breach_line"].format(kind=w["kind_" + b["kind"]], n=b["breached"], of=b["of"],
                                        pct=_n(100.0 * b["breached"] / b["of"]), dept=b["department"] or "-",
                                        dept_n=b["department_n"]) for b in r["breaches"]]
    effects = []
    for a in r["progress"]["effects"].itertuples(index=False):
        p = a.effect_p
        sig = w["sig_na"] if _empty(p) else (w["sig_yes"] if bool(a.effect_verified) else w["sig_no"]).format(
            p=_p_shown(p))
        met = w["goal_met"] if bool(a.effect_verified) or (not _empty(a.goal) and _goal_met(a, r)) else w["goal_missed"]
        effects.append(w["effect_line"].format(action=a.action_id, measure=a.measure, metric=a.target_metric or "-",
                                               before=_n(a.effect_before), after=_n(a.effect_after),
                                               goal=_n(a.goal), met=met, sig=sig))
    c = r["progress"]["counts"]
    progress = [w["progress_line"].format(total=sum(c.values()), **{k: c.get(k, 0) for k in (
        "done", "in_progress", "planned", "overdue", "cancelled")})] if c else []
    late = Table([w["action"], w["measure"], w["owner"], w["department"], w["deadline"], w["days_late"]],
                 ["text", "text", "text", "text", "date", "int"],
                 [[a.action_id, a.measure, a.owner, a.department, a.deadline, a.days_late]
                  for a in r["overdue"].itertuples(index=False)])
    return [(w["signals"], signals), (w["breaches"], breaches), (w["effects"], effects), (w["progress"], progress),
            (w["overdue"], late)]


def _goal_met(a, r) -> bool:
    """Whether the after value reached the action's goal, by the direction of its indicator."""
    ge = next((k["direction"] != "le" for k in r["kpis"] if metric_name(k["metric"]) == a.target_metric), True)
    return a.effect_after >= a.goal if ge else a.effect_after <= a.goal


def _group_table(frame, first: str, lang: str) -> Table:
    w = LANGS[lang].REPORT
    rows = []
    for g in frame.itertuples(index=False):
        row = [g.group, g.tickets, g.surveys]
        for m in ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct"):
            n = g.surveys if m == "csat_pct" else g.tickets
            v = getattr(g, m)
            row.append(Small() if (not _empty(v) and n < MIN_SAMPLE) else v)
        rows.append(row)
    return Table([first, w["tickets"], w["surveys"], *(metric_name(m, lang) for m in (
        "first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct"))],
        ["text", "int", "int", "num", "num", "num", "num", "num"], rows)


def _cases(frame, lang: str) -> Table:
    w = LANGS[lang].REPORT
    rows = []
    for c in frame.itertuples(index=False):
        cat = c.category if isinstance(c.category, str) else "-"
        what = c.what if isinstance(c.what, str) else w["what_open"].format(category=cat) if _empty(c.res_h) \
            else w["what_resolved"].format(category=cat, hours=_n(c.res_h))  # a curated case: the team's words
        rows.append([c.date, c.ticket_id if isinstance(c.ticket_id, str) else None, schema.CHANNEL.label(c.channel, lang) if isinstance(c.channel, str) else None,
                     c.department, c.agent, what, None if _empty(c.csat) else c.csat,
                     c.comment if isinstance(c.comment, str) else None])
    return Table([w["date"], w["ticket"], w["channel"], w["department"], w["agent"], w["what"], w["score"],
                  w["comment"]], ["date", "text", "text", "text", "text", "text", "int", "text"], rows)


def _benchmarked(t: Table, rows, lang: str) -> Table:
    """The 行业参考 column beside the target, when 监控标准 gives any of these indicators one (the seeds' 对标)."""
    if not any(k.get("benchmark") is not None for k in rows or []):
        return t
    return Table([*t.headers[:3], LANGS[lang].REPORT["benchmark"], *t.headers[3:]], [*t.kinds[:3], "num", *t.kinds[3:]],
                 [[*v[:3], k.get("benchmark"), *v[3:]] for v, k in zip(t.rows, rows)])


def _headline_table(rows, lang: str) -> Table:
    """Indicators against their targets, the previous period and the change (the report's KPI table's shape)."""
    w = LANGS[lang].REPORT
    return _benchmarked(Table([w["metric"], w["value"], w["target"], w["status"], w["previous"], w["change"]],
                 ["text", "num", "num", "status", "num", "change"],
                 [[metric_name(k["metric"], lang), k["value"], k["target"],
                   k["status"] or ("no_data" if k["value"] is None else ""), k["previous"],
                   Change(k["change"], k["direction"] or ("le" if k["metric"].endswith(("_s", "_min")) else None))]
                  for k in rows or []]), rows, lang)  # a time without a target is still better shorter; a count neither


def _dimension_block(r: dict, lang: str) -> list:
    """The dimensions of satisfaction the surveys scored (服务态度, 响应速度, 解决能力, 等待体验), each with its
    rate and answers; nothing when no survey scored any."""
    w, dims = LANGS[lang].REPORT, r.get("dimensions") or {}
    rows = [[schema.SURVEYS.field(d).label(lang), x["answers"],
             Small() if x["answers"] < MIN_SAMPLE and x["pct"] is not None else x["pct"]]
            for d, x in dims.items() if x["answers"]]
    return [(w["dimensions"], Table([w["dimension"], w["answers"], w["dimension_pct"]], ["text", "int", "num"], rows))] \
        if rows else []


def _queue_table(queues: dict, dim: str, lang: str) -> Table:
    """The phone line by queue (or department), each with the calls behind its rates (too few: greyed)."""
    w = LANGS[lang].REPORT
    keys = ("answer_rate_pct", "service_level_pct", "abandon_rate_pct", "asa_s", "aht_s")
    rows = [[q, m["calls_offered"], *((Small() if not _empty(m[k]) and m["calls_offered"] < MIN_SAMPLE else m[k])
                                      for k in keys)] for q, m in queues.items()]
    return Table([w[dim], metric_name("calls_offered", lang), *(metric_name(k, lang) for k in keys)],
                 ["text", "int", "num", "num", "num", "num", "num"], rows)


def _phone_section(r: dict, lang: str) -> list:
    w = LANGS[lang].REPORT
    if r.get("phone"):
        said = w["phone_offered"] if r["calls_before"] else w["phone_offered_only"]
        phone = [(w["phone"], [said.format(n=r["calls_offered"], before=r["calls_before"])]),
                 _headline_table(r["phone"], lang)]
        if r["queue_dim"]:
            phone.append((w[f"by_{r['queue_dim']}"], _queue_table(r["queues"], r["queue_dim"], lang)))
    else:
        phone = [(w["phone"], [w["phone_none"]])]
    if r.get("visits"):
        return phone + [(w["visits"], [w["visit_count"].format(n=r["visit_count"])]), _headline_table(r["visits"], lang)]
    return phone + [(w["visits"], [w["visits_none"]])]


def sections(r: dict, lang: str) -> list[tuple[str, list]]:
    """The report's sections in order: (title, blocks); a block is a list of sentences, a ``Table``, a chart
    name, or a (subtitle, block) pair.  An empty block reads 无."""
    w, status = LANGS[lang].REPORT, LANGS[lang].STATUS
    kpis = _benchmarked(Table([w["metric"], w["value"], w["target"], w["status"], w["previous"], w["change"]],
                              ["text", "num", "num", "status", "num", "change"],
                              [[metric_name(k["metric"], lang), k["value"], k["target"], k["status"] or "no_data",
                                k["previous"], Change(k["change"], k["direction"])] for k in r["kpis"]]),
                        r["kpis"], lang)
    par = Table([w["category"], w["count"], w["share"], w["cum"], w["vital"]], ["text", "int", "num", "num", "text"],
                [[p.category, int(p.count), p.pct, p.cum_pct, "✓" if p.vital_few else ""]
                 for p in r["pareto"].head(10).itertuples(index=False)])
    problems = []
    for p in r["problems"].head(8).itertuples(index=False):
        st = schema.PROBLEM_STATUS.label(p.status or "open", lang)
        if isinstance(p.category, str) and not _empty(p.period_count):
            problems.append(w["problem_line"].format(id=p.problem_id, category=p.category, count=int(p.period_count),
                                                     pct=_n(p.period_pct), status=st, dept=_text(p.owner_department)))
        elif not isinstance(p.category, str):
            problems.append(w["problem_other"].format(  # its own description quotes the week it was opened in
                id=p.problem_id, metric=p.metric or p.description, status=st, dept=_text(p.owner_department),
                source=schema.PROBLEM_SOURCE.label(p.source, lang) if isinstance(p.source, str) else "-"))
    forecast = [w["forecast_method"]]
    for m, f in r["forecast"].items():
        if f:
            key = "forecast_uncertain" if f["uncertain"] else "forecast_line"
            forecast.append(w[key].format(metric=metric_name(m, lang), value=_n(f["value"]), low=_n(f["low"]),
                                          high=_n(f["high"]), seen_low=_n(f["seen_low"]), seen_high=_n(f["seen_high"])))
    del status
    return [
        (w["overview"], [[say("report_overview", **r["overview"]),
                          f"{w['previous_period']}: {r['previous']['start']} – {r['previous']['end']}"]]),
        (w["kpis"], [kpis, *_dimension_block(r, lang), "trend"]),
        (w["events"], _events(r, lang)),
        (w["problems"], [par, "pareto", (w["problems"], problems)]),
        (w["groups"], [[w["small_note"].format(n=MIN_SAMPLE)],
                       (w["by_department"], _group_table(r["departments"], w["department"], lang)),
                       *([(w["by_region"], _group_table(r["regions"], w["region"], lang))]
                         if r.get("regions") is not None else []),
                       (w["by_channel"], _group_table(r["channels"].assign(group=r["channels"]["group"].map(
                           lambda c: schema.CHANNEL.label(c, lang))), w["channel"], lang))]),
        (w["phone_visits"], _phone_section(r, lang)),
        (w["cases"], [(w["good"] if r.get("good_from") == "highlights" else w["good_proposed"], _cases(r["good"], lang)),
                      (w["bad"], _cases(r["bad"], lang))]),
        (w["forecast"], [forecast]),
        (w["recommendations"], [[f"{i}. {x}" for i, x in enumerate(recommendations(r, lang), start=1)]]),
    ]


def _shown(v, kind: str, lang: str) -> tuple[str, str]:
    """(text, css class) of one cell."""
    w, status = LANGS[lang].REPORT, LANGS[lang].STATUS
    if isinstance(v, Small):
        return w["small"], "small"
    if kind == "status":
        if v == "":  # an indicator without a target has no status (DOMAIN.md §4)
            return "", ""
        return status.get(v, status["no_data"]), v or ""
    if kind == "change":
        if _empty(v.value):
            return "—", ""
        c = round(float(v.value), 1)
        better = (c > 0) == (v.direction != "le")
        arrow = "▲" if c > 0 else "▼" if c < 0 else "±"
        return f"{arrow} {abs(c):.1f}", ("" if c == 0 or v.direction is None else "better" if better else "worse")
    if _empty(v):
        return "—", ""
    if kind == "int":
        return f"{int(v)}", ""
    if kind == "num":
        return f"{v:.1f}", ""
    if kind == "date":
        return str(getattr(v, "date", lambda: v)()), ""
    return str(v), ""


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def charts(r: dict, lang: str) -> dict[str, bytes]:
    """The trend and the Pareto as PNG pictures (for the .html)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..charts.fishbone import cjk_font

    font = cjk_font()
    out = {}
    with plt.rc_context({"font.family": [font] if font else ["sans-serif"], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(8, 3.2))
        w = r["weeks"]
        for m in TREND:
            if m in w:
                ax.plot(w["week"], w[m], marker="o", label=metric_name(m, lang))
        ax.set_title(LANGS[lang].REPORT["trend_chart"])
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        fig.autofmt_xdate()
        out["trend"] = _png(fig)
        par = r["pareto"].head(10)
        fig, ax = plt.subplots(figsize=(8, 3.2))
        ax.bar(par["category"], par["count"], color=["#C00000" if v else "#A6A6A6" for v in par["vital_few"]])
        ax2 = ax.twinx()
        ax2.plot(par["category"], par["cum_pct"], color="#1F4E78", marker="o")
        ax2.axhline(80, color="red", linestyle="--")
        ax2.set_ylim(0, 100)
        ax.set_title(LANGS[lang].REPORT["pareto_chart"])
        fig.autofmt_xdate()
        out["pareto"] = _png(fig)
    return out


def write_html(path: Path, r: dict, lang: str) -> Path:
    """One file, no external resource: the charts are embedded as data URIs."""
    w = LANGS[lang].REPORT
    pics = charts(r, lang)
    e = html.escape
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{e(w['title'])} {r['period']['start']}–{r['period']['end']}</title>",
             "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:1000px;margin:auto;"
             "color:#222}h1,h2,h3{color:#1F4E78}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;"
             "padding:4px 8px}td.n{text-align:right}th{background:#1F4E78;color:#fff}.met{background:#C6EFCE}"
             ".warning{background:#FFEB9C}.missed{background:#FFC7CE}.better{color:#006100}.worse{color:#C00000}"
             ".small{color:#808080}@page{size:A4 landscape}</style></head><body>",
             f"<h1>{e(w['title'])}</h1><p>{e(w['period'])}: {r['period']['start']} – {r['period']['end']}</p>"]
    if r.get("source_line"):  # the figures of tables outside the workbook say so, with their rows
        parts.append(f"<p class='small'>{e(r['source_line'])}</p>")

    def block(b, level=3):
        if isinstance(b, str):
            return f'<img alt="{e(w[b + "_chart"])}" src="data:image/png;base64,{base64.b64encode(pics[b]).decode()}">'
        if isinstance(b, tuple):
            return f"<h{level}>{e(b[0])}</h{level}>" + block(b[1], level + 1)
        if isinstance(b, Table):
            if not b.rows:
                return f"<p>{e(w['none'])}</p>"
            out = ["<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in b.headers) + "</tr>"]
            for row in b.rows:
                cells = []
                for v, kind in zip(row, b.kinds):
                    text, cls = _shown(v, kind, lang)
                    cls = " ".join(x for x in (cls, "n" if kind in ("int", "num", "change") else "") if x)
                    cells.append(f"<td class='{cls}'>{e(text)}</td>" if cls else f"<td>{e(text)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            return "".join(out) + "</table>"
        return "".join(f"<p>{e(x)}</p>" for x in b) if b else f"<p>{e(w['none'])}</p>"

    for n, (title, blocks) in enumerate(sections(r, lang), start=1):
        parts.append(f"<h2>{n}. {e(title)}</h2>" + "".join(block(b) for b in blocks))
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_xlsx(path: Path, r: dict, lang: str) -> Path:
    """The same sections as cells with number formats (counts whole, rates and times to one decimal), native
    charts (the weekly trend; the Pareto's counts with the cumulative line on a 0–100 % axis) beside their
    tables, A4 landscape one page wide with the title repeated in the header."""
    import openpyxl
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.shapes import GraphicalProperties
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    w = LANGS[lang].REPORT
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = w["sheet"]
    bold, head = Font(bold=True, color="1F4E78", size=12), PatternFill("solid", fgColor="1F4E78")
    ws["A1"] = f"{w['title']}  {r['period']['start']} – {r['period']['end']}"
    ws["A1"].font = Font(bold=True, size=15, color="1F4E78")
    if r.get("source_line"):  # the figures of tables outside the workbook say so, with their rows
        ws["A2"] = r["source_line"]
        ws["A2"].font = Font(color="808080")
    row = 3
    tables: dict[str, tuple[int, int]] = {}  # the rows of the tables a chart draws from

    def put(b, title=None):
        nonlocal row
        if title:
            ws.cell(row, 1, title).font = Font(bold=True, color="1F4E78")
            row += 1
        if isinstance(b, tuple):
            put(b[1], b[0])
        elif isinstance(b, str):
            chart(b)
        elif isinstance(b, Table):
            table(b)
        else:
            for t in b or [w["none"]]:
                ws.cell(row, 1, t).alignment = Alignment(wrap_text=True, vertical="top")
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
                ws.row_dimensions[row].height = 15 * -(-printed_width(t) // int(sum(WIDTHS) * 1.15))
                row += 1
            row += 1

    def table(t: Table):
        nonlocal row
        if not t.rows:
            ws.cell(row, 1, w["none"])
            row += 2
            return
        for c, h in enumerate(t.headers, start=1):
            x = ws.cell(row, c, h)
            x.font, x.fill, x.alignment = Font(bold=True, color="FFFFFF"), head, Alignment(wrap_text=True,
                                                                                         vertical="center")
        ws.row_dimensions[row].height = 30
        top = row
        for values in t.rows:
            row += 1
            lines = 1  # a text wider than its column wraps in a row tall enough to show it whole
            for c, (v, kind) in enumerate(zip(values, t.kinds), start=1):
                cell = ws.cell(row, c)
                if isinstance(v, Small) or kind in ("status", "change"):
                    text, cls = _shown(v, kind, lang)
                    cell.value = text
                    if cls in STATUS_COLOURS:
                        cell.fill = PatternFill("solid", fgColor=STATUS_COLOURS[cls])
                    colour = {"better": BETTER, "worse": WORSE, "small": GREY}.get(cls)
                    if colour:
                        cell.font = Font(color=colour)
                    if kind == "change" or isinstance(v, Small):  # where the number it stands for would stand
                        cell.alignment = Alignment(horizontal="right", vertical="top")
                elif not _empty(v):
                    cell.value = v
                    cell.number_format = FORMATS.get(kind, "General")
                    cell.alignment = Alignment(vertical="top")
                if kind == "text":  # set off from a number before it (not "5服务很耐心", "28.1✓")
                    cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
                    if isinstance(v, str) and c <= len(WIDTHS):
                        lines = max(lines, -(-printed_width(v) // int(WIDTHS[c - 1] * 1.15 - 1)))
                elif kind == "date":  # centred: a date never runs into the id beside it
                    cell.alignment = Alignment(horizontal="center", vertical="top")
            if lines > 1:
                ws.row_dimensions[row].height = 15 * lines
        tables[t.headers[0]] = (top, row)
        row += 2

    def chart(name: str):
        """A native chart below its table; what it draws that no table shows sits in hidden columns."""
        nonlocal row
        top, last = tables[w["metric"] if name == "trend" else w["category"]]
        if name == "trend":
            weeks = r["weeks"]
            cols = [c for c in TREND if c in weeks]
            ws.cell(top, HELPER, w["week"])
            for j, c in enumerate(cols, start=1):
                ws.cell(top, HELPER + j, metric_name(c, lang))
            for k, rec in enumerate(weeks.itertuples(index=False), start=1):
                ws.cell(top + k, HELPER, rec.week.date()).number_format = FORMATS["date"]
                for j, c in enumerate(cols, start=1):
                    if not _empty(v := getattr(rec, c)):
                        ws.cell(top + k, HELPER + j, v).number_format = FORMATS["num"]
            made = LineChart()
            made.add_data(Reference(ws, min_col=HELPER + 1, max_col=HELPER + len(cols), min_row=top,
                                    max_row=top + len(weeks)), titles_from_data=True)
            made.set_categories(Reference(ws, min_col=HELPER, min_row=top + 1, max_row=top + len(weeks)))
            made.y_axis.title = "%"
            for s in made.series:
                s.smooth = False
            show_axes(made)
        else:
            ws.cell(top, HELPER, "80%")
            for k in range(top + 1, last + 1):
                ws.cell(k, HELPER, 80)
            made = BarChart()
            made.type, made.gapWidth = "col", 40
            made.y_axis.title = w["count"]
            made.add_data(Reference(ws, min_col=2, min_row=top, max_row=last), titles_from_data=True)
            made.series[0].graphicalProperties = GraphicalProperties(solidFill="C00000")
            made.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
            cum = LineChart()
            for col, colour, dash in ((4, "1F4E78", None), (HELPER, "FF0000", "dash")):
                cum.add_data(Reference(ws, min_col=col, min_row=top, max_row=last), titles_from_data=True)
                s = cum.series[-1]
                s.graphicalProperties.line.solidFill = colour
                s.smooth = False
                if dash:
                    s.graphicalProperties.line.dashStyle = dash
            cum.y_axis.axId, cum.y_axis.title = 200, "%"
            cum.y_axis.scaling.min, cum.y_axis.scaling.max = 0, 100
            cum.y_axis.crosses = "max"
            show_axes(made, cum)
            made += cum
        made.title, made.height, made.width = w[name + "_chart"], 7.5, 17
        made.visible_cells_only = False  # it draws from hidden columns
        ws.add_chart(made, f"A{row}")
        row += 16

    for n, (title, blocks) in enumerate(sections(r, lang), start=1):
        if row > FIRST_PAGE_ROWS and any(isinstance(b, str) for b in blocks):  # a chart's section on a page of its own
            ws.row_breaks.append(Break(id=row - 1))  # (printed across a page break, a chart is cut in two)
        ws.cell(row, 1, f"{n}. {title}").font = bold
        row += 1
        for b in blocks:
            put(b)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    for col in range(HELPER, HELPER + len(TREND) + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    ws.print_area = f"A1:{get_column_letter(len(WIDTHS))}{row}"
    ws.oddHeader.center.text = f"{w['title']} {r['period']['start']} – {r['period']['end']}"
    ws.oddFooter.center.text = "&P / &N"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path
