"""The report as an .xlsx (native charts, A4, headers and footers) and as one self-contained .html file."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from ..inert import save_workbook
from ..locale import LANGS, metric_name, say

STATUS_COLOURS = {"met": "C6EFCE", "warning": "FFEB9C", "missed": "FFC7CE"}


def recommendations(r: dict, lang: str) -> list[str]:
    """What the numbers suggest: each missed or warned indicator with its worst department, the biggest problem
    category, overdue actions, and a forecast that crosses its target."""
    out = []
    for row in r["kpis"]:
        if row["status"] in ("missed", "warning") and row["metric"] in r["worst"]:
            dept, value = r["worst"][row["metric"]]
            out.append(say("rec_indicator", metric=metric_name(row["metric"], lang), value=f"{row['value']:.1f}",
                           target=f"{row['target']:g}", dept=dept, dept_value=f"{value:.1f}"))
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
        if not f or not t or t["target"] is None:
            continue
        crosses = f["value"] < t["target"] if t["direction"] == "ge" else f["value"] > t["target"]
        if crosses:
            out.append(say("rec_forecast", metric=metric_name(m, lang), value=f"{f['value']:.1f}",
                           target=f"{t['target']:g}"))
    return out or [say("rec_none")]


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
        for m in ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct"):
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


def _hours(v, w) -> str:
    return w["unresolved"] if v is None or v != v else f"{v:.1f} h"


def _fmt(v, digits=1):
    return "—" if v is None or v != v else f"{v:.{digits}f}"


def write_html(path: Path, r: dict, lang: str) -> Path:
    """One file, no external resource: the charts are embedded as data URIs."""
    w = LANGS[lang].REPORT
    status = LANGS[lang].STATUS
    pics = charts(r, lang)
    e = html.escape
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{e(w['title'])} {r['period']['start']}–{r['period']['end']}</title>",
             "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:960px;margin:auto;"
             "color:#222}h1,h2{color:#1F4E78}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;"
             "padding:4px 8px}th{background:#1F4E78;color:#fff}.met{background:#C6EFCE}.warning{background:#FFEB9C}"
             ".missed{background:#FFC7CE}</style></head><body>",
             f"<h1>{e(w['title'])}</h1><p>{e(w['period'])}: {r['period']['start']} – {r['period']['end']}</p>",
             f"<h2>1. {e(w['overview'])}</h2><p>{e(say('report_overview', **r['overview']))}</p>",
             f"<h2>2. {e(w['kpis'])}</h2><table><tr><th>{e(w['metric'])}</th><th>{e(w['value'])}</th>"
             f"<th>{e(w['target'])}</th><th>{e(w['status'])}</th><th>{e(w['previous'])}</th><th>{e(w['change'])}</th></tr>"]
    for row in r["kpis"]:
        cls = row["status"] or ""
        parts.append(f"<tr class='{cls}'><td>{e(metric_name(row['metric'], lang))}</td><td>{_fmt(row['value'])}</td>"
                     f"<td>{_fmt(row['target'], 0)}</td><td>{e(status.get(row['status'], status['no_data']))}</td>"
                     f"<td>{_fmt(row['previous'])}</td><td>{_fmt(row['change'])}</td></tr>")
    parts.append("</table>")
    parts.append(f'<img alt="{e(w["trend_chart"])}" src="data:image/png;base64,{base64.b64encode(pics["trend"]).decode()}">')
    parts.append(f"<h2>3. {e(w['problems'])}</h2>")
    parts.append(f'<img alt="{e(w["pareto_chart"])}" src="data:image/png;base64,{base64.b64encode(pics["pareto"]).decode()}">')
    parts.append("<ul>" + "".join(f"<li>{e(str(p.problem_id))} {e(str(p.description))}</li>"
                                  for p in r["problems"].head(8).itertuples(index=False)) + "</ul>")
    parts.append(f"<h2>4. {e(w['cases'])}</h2><h3>{e(w['good'])}</h3><ul>" + "".join(
        f"<li>{e(str(c.ticket_id))} {e(str(c.agent or ''))}:{e(str(c.comment))}</li>" for c in r["good"].itertuples(index=False))
        + f"</ul><h3>{e(w['bad'])}</h3><ul>" + "".join(
        f"<li>{e(str(c.ticket_id))} {e(str(c.category or ''))} {e(str(c.department))}:{e(_hours(c.res_h, w))}</li>"
        for c in r["bad"].itertuples(index=False)) + "</ul>")
    parts.append(f"<h2>5. {e(w['overdue'])}</h2><ul>" + "".join(
        f"<li>{e(str(a.action_id))} {e(str(a.measure))}({e(str(a.department or '-'))})</li>"
        for a in r["overdue"].itertuples(index=False)) + "</ul>")
    parts.append(f"<h2>6. {e(w['forecast'])}</h2><p>{e(w['forecast_method'])}</p><ul>" + "".join(
        f"<li>{e(metric_name(m, lang))}: {_fmt(f['value'])}({_fmt(f['low'])} – {_fmt(f['high'])})</li>"
        for m, f in r["forecast"].items() if f) + "</ul>")
    parts.append(f"<h2>7. {e(w['recommendations'])}</h2><ol>" + "".join(
        f"<li>{e(x)}</li>" for x in recommendations(r, lang)) + "</ol></body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_xlsx(path: Path, r: dict, lang: str) -> Path:
    """Sections as cells and tables, native charts (trend lines, Pareto columns), A4 landscape, header/footer."""
    import openpyxl
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font, PatternFill

    w = LANGS[lang].REPORT
    status = LANGS[lang].STATUS
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = w["sheet"]
    bold, head = Font(bold=True, color="1F4E78", size=12), PatternFill("solid", fgColor="1F4E78")
    ws["A1"] = f"{w['title']}  {r['period']['start']} – {r['period']['end']}"
    ws["A1"].font = Font(bold=True, size=15, color="1F4E78")
    row = 3

    def section(title):
        nonlocal row
        ws.cell(row, 1, title).font = bold
        row += 1

    def lines(texts):
        """One text a row, then a blank row."""
        nonlocal row
        for t in texts:
            ws.cell(row, 1, t)
            row += 1
        row += 1

    def header(cells):
        nonlocal row
        for c, v in enumerate(cells, start=1):
            x = ws.cell(row, c, v)
            x.font, x.fill = Font(bold=True, color="FFFFFF"), head
        row += 1

    section(f"1. {w['overview']}")
    ws.cell(row, 1, say("report_overview", **r["overview"]))
    row += 2
    section(f"2. {w['kpis']}")
    header([w["metric"], w["value"], w["target"], w["status"], w["previous"], w["change"]])
    for k in r["kpis"]:
        ws.append([metric_name(k["metric"], lang), k["value"], k["target"], status.get(k["status"], status["no_data"]),
                   k["previous"], k["change"]])
        if k["status"] in STATUS_COLOURS:
            ws.cell(row, 4).fill = PatternFill("solid", fgColor=STATUS_COLOURS[k["status"]])
        row += 1
    row += 1
    section(w["trend_chart"])
    trend_top = row
    weeks = r["weeks"]
    cols = [c for c in ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct") if c in weeks]
    header([w["week"], *[metric_name(c, lang) for c in cols]])
    for rec in weeks.itertuples(index=False):
        ws.append([rec.week.date(), *[None if getattr(rec, c) != getattr(rec, c) else getattr(rec, c) for c in cols]])
        row += 1
    line = LineChart()
    line.title, line.height, line.width = w["trend_chart"], 7, 16
    line.add_data(Reference(ws, min_col=2, max_col=1 + len(cols), min_row=trend_top, max_row=row - 1),
                  titles_from_data=True)
    line.set_categories(Reference(ws, min_col=1, min_row=trend_top + 1, max_row=row - 1))
    ws.add_chart(line, f"H{trend_top}")
    row = max(row + 1, trend_top + 16)
    section(f"3. {w['problems']}")
    par_top = row
    header([w["category"], w["count"], w["share"], w["cum"], w["vital"]])
    for p in r["pareto"].head(10).itertuples(index=False):
        ws.append([p.category, p.count, p.pct, p.cum_pct, "✓" if p.vital_few else ""])
        row += 1
    bars = BarChart()
    bars.title, bars.height, bars.width = w["pareto_chart"], 7, 16
    bars.add_data(Reference(ws, min_col=2, min_row=par_top, max_row=row - 1), titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=par_top + 1, max_row=row - 1))
    ws.add_chart(bars, f"H{par_top}")
    row = max(row + 1, par_top + 16)
    lines(f"{p.problem_id} {p.description}" for p in r["problems"].head(8).itertuples(index=False))
    section(f"4. {w['cases']}")
    lines([*(f"{w['good']}: {c.ticket_id} {c.agent or ''} {c.comment}" for c in r["good"].itertuples(index=False)),
           *(f"{w['bad']}: {c.ticket_id} {c.category or ''} {c.department} {_hours(c.res_h, w)}"
             for c in r["bad"].itertuples(index=False))])
    section(f"5. {w['overdue']}")
    lines(f"{a.action_id} {a.measure} ({a.department or '-'})" for a in r["overdue"].itertuples(index=False))
    section(f"6. {w['forecast']}")
    lines([w["forecast_method"], *(f"{metric_name(m, lang)}: {_fmt(f['value'])} ({_fmt(f['low'])} – {_fmt(f['high'])})"
                                   for m, f in r["forecast"].items() if f)])
    section(f"7. {w['recommendations']}")
    lines(f"{i}. {x}" for i, x in enumerate(recommendations(r, lang), start=1))
    ws.column_dimensions["A"].width = 26
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddHeader.center.text = w["title"]
    ws.oddFooter.center.text = "&P / &N"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path
