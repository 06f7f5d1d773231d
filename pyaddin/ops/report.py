"""The monitoring report (生成报告): .xlsx and/or one self-contained .html for the period."""
from __future__ import annotations

from pathlib import Path

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, say
from .kpi import choose_period, data_times, read_inputs, source_header


@action("report", group="reports", icon="FileSaveAsPdfOrXps",
        reads=(schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.CALLS.name,
               schema.STANDARDS.name, schema.CALENDAR.name,
               schema.PROBLEMS.name, schema.PLAN.name, schema.HIGHLIGHTS.name))
def make_report(ctx, book, output=None, period=None, quarter=None, week=None, year=None) -> Outcome:
    """Writes the report of a week, month, quarter or year to ``output`` (.xlsx or .html); from the ribbon, both,
    beside the workbook."""
    from ..core import kpi
    from ..reports.content import report
    from ..reports.writers import write_html, write_xlsx
    from .alerts import control_charts

    frames, std = read_inputs(book, ("tickets", "surveys", "inspections", "calls"),  # calls: the phone line
                              where_they_lie=True)
    created = data_times({"tickets": frames["tickets"]}).dropna()
    p = choose_period(created, period, quarter, week=week, year=year)
    prev = kpi.previous_period(p)
    problems, plan = book.read(schema.PROBLEMS).data, book.read(schema.PLAN).data
    charts = control_charts(ctx, book, as_of=p.end, inputs=(frames, std)) if len(created) else {}
    highlights = book.read(schema.HIGHLIGHTS).data if book.has_table(schema.HIGHLIGHTS) else None
    r = report(frames, std, p, prev, problems, plan, charts.get("signals", []), highlights, known=charts.get("view"))
    del charts
    r["source_line"] = source_header(book)  # the tables read from outside the workbook, and their rows
    if r["overview"]["tickets"] == 0:
        raise QBError("no_tickets_in_period", exit_code=1, start=r["period"]["start"], end=r["period"]["end"])
    lang = current()
    if output is None:
        where = book.path  # the file, or for a book open in Excel its local copy (xlbook.local_path)
        stem = Path(where).with_name(f"{Path(where).stem}_report_{r['period']['start'][:7]}")
        targets = [stem.with_suffix(".xlsx"), stem.with_suffix(".html")]
    else:
        targets = [Path(output)]
    written = []
    for t in targets:
        if t.suffix.lower() == ".html":
            written.append(write_html(t, r, lang))
        elif t.suffix.lower() == ".xlsx":
            written.append(write_xlsx(t, r, lang))
            if output is None:  # the ribbon: Excel also prints it to PDF
                written.extend(_pdf(ctx, written[-1]))
        else:
            raise QBError("report_format", path=str(t))
    return Outcome("report_done", {"start": r["period"]["start"], "end": r["period"]["end"],
                                   "files": "; ".join(str(w) for w in written)})


def _pdf(ctx, xlsx):
    """The PDF beside the .xlsx when Excel can print it; if it cannot (no printer driver, a locked file) the
    .xlsx and .html stand and the message says so."""
    import logging

    try:
        pdf = ctx.export_pdf(xlsx)
    except Exception as exc:  # Excel's own failure must not hide the two files already written
        logging.getLogger("qualitybook").warning("PDF export failed: %s", exc)
        return [say("report_no_pdf", reason=str(exc))]
    return [pdf] if pdf else []
