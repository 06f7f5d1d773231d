"""Commands of the ribbon's 改进 group: the problem list, the fishbone, the plan check, effect verification."""
from __future__ import annotations

from pathlib import Path

import click

from .options import as_of_option, book_argument, json_option, one_period, period_options, run_action, source_option


@click.command()
@book_argument
@click.option("--from-pareto", "from_pareto", is_flag=True, default=True,
              help="Add the Pareto's vital few (at most 5) as problems (the default).")
@click.option("--from-alerts", "from_alerts", is_flag=True,
              help="Add the indicators the weekly control charts flagged (see `alerts`) as problems instead.")
@click.option("--by", default="category", show_default=True, help="The column the Pareto counts by.")
@period_options
@as_of_option
@source_option
def problems(book: Path, from_pareto, from_alerts, by, period, quarter, date_from, date_to, as_of, sources):
    """Add the vital few of the period's Pareto to the problem list (问题清单), with frequency, scope,
    affected metric and priority. A category already open as a problem is not added again; ids
    (P001, …) are never reused."""
    one_period(period, quarter, date_from, date_to)
    run_action("problems", book, from_pareto=not from_alerts, from_alerts=from_alerts, by=by, period=period,
               quarter=quarter, date_from=date_from, date_to=date_to, as_of=as_of,
               sources=sources)


@click.command()
@book_argument
@click.option("--problem", metavar="P001", help="The problem to draw (default: the open problem with most causes).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also save the picture as PNG.")
def fishbone(book: Path, problem, output):
    """Draw the 6M fishbone diagram of a problem from the root-cause table and place it beside the
    table, replacing the previous one."""
    run_action("fishbone", book, problem=problem, output=output)


@click.command()
@book_argument
@as_of_option
@json_option
def plan(book: Path, as_of, as_json):
    """Check the improvement plan: SMART (owner, deadline, measurable target), overdue actions
    (marked 已逾期), progress by department, the PDCA stage of each problem, and problems
    past analysis without a verified root cause (exit 1 then)."""
    run_action("plan", book, as_json=as_json, as_of=as_of)


@click.command()
@book_argument
@click.option("--action", "action_id", metavar="A001", help="Verify one action only.")
@click.option("--days", type=click.IntRange(7, 366), default=28, show_default=True,
              help="Length of the equal windows before the start and after the completion.")
@json_option
@source_option
def verify(book: Path, action_id, days, as_json, sources):
    """Verify the effect of done actions: the metric over equal windows before the start and after
    the completion, the change, the goal, and for rates a two-proportion test. A problem closes
    when all its actions' effects are verified."""
    run_action("verify", book, as_json=as_json, action_id=action_id, days=days, sources=sources)


@click.command()
@book_argument
@click.argument("ids", nargs=-1, metavar="[F001 ...]")
@click.option("--all", "every", is_flag=True,
              help="Every process problem and suggestion on 一线反馈 still 待处理 (needed when no ID is named).")
@json_option
def adopt(book: Path, ids, every, as_json):
    """Turn frontline feedback (一线反馈: a process problem or a suggestion) into problems of the problem
    list, source 一线反馈, owned by the entry's department; each entry gets its problem's ID and the status
    已转问题. Name the entries (F001 …) or pass --all."""
    if not ids and not every:
        raise click.UsageError("name the feedback entries (F001 …) or pass --all. / 请写出反馈编号(F001 …)或加 --all。")
    run_action("adopt_feedback", book, as_json=as_json, ids=list(ids) or None, every=every)


@click.command()
@book_argument
@period_options
@json_option
def highlights(book: Path, period, quarter, date_from, date_to, as_json):
    """Propose the period's good cases to 亮点案例 (default: the last month with tickets): 5-star comments,
    full-mark inspections and the control charts' better signals, at most 10 of each, never one already
    listed. The team writes them up (经过, 可复制的经验) or deletes them; the report shows those of its period."""
    one_period(period, quarter, date_from, date_to)
    run_action("propose_highlights", book, as_json=as_json, period=period, quarter=quarter, date_from=date_from,
               date_to=date_to)


COMMANDS = (problems, fishbone, plan, verify, adopt, highlights)
