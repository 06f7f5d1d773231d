"""The ``qualitybook`` group, its error handling and ``main``.

Exit codes: 0 ok, 1 data problems, 2 usage error.  Whatever goes wrong, a person reads a
message in their words, never a traceback (that goes to the log file).
"""
from __future__ import annotations

import sys

import click

from ..errors import QBError, as_known
from . import analysis, appraisal, config, data, departments, improvement, reports


def fail(exc: QBError):
    click.echo(exc.say(), err=True)
    for line in exc.details:
        click.echo(line, err=True)
    sys.exit(exc.exit_code)


class Group(click.Group):
    """Turns every error into its message and exit code, whatever the command."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QBError as exc:
            fail(exc)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # the output went to a pipe that closed (| head): nothing to say
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 — the one place where any error becomes a message
            from ..excel import error_text
            from ..logfile import log_failure

            if as_known(exc) is not None:  # a full disk: the user's words, a usage exit (2)
                fail(as_known(exc))

            log_failure(ctx.invoked_subcommand or "qualitybook", exc)
            click.echo(error_text(exc), err=True)
            sys.exit(1)


@click.command()
@click.argument("action")
@click.option("--wb", help="Set by xlwings' RunFrozenPython: the calling workbook.")
@click.option("--from_xl", help="Set by xlwings' RunFrozenPython.")
@click.option("--app", help="Set by xlwings' RunFrozenPython: the Excel executable.")
@click.option("--hwnd", help="Set by xlwings' RunFrozenPython: the Excel window handle.")
def run(action: str, wb, from_xl, app, hwnd):
    """Run ACTION on the calling Excel workbook (what the ribbon does through the packaged program).

    It exits 0 once it has shown its message box: a non-zero exit would make xlwings show a
    second, empty error window.  Only a crash exits non-zero.
    """
    from ..excel import run_action
    from ..registry import ACTIONS

    if action not in ACTIONS:
        raise click.UsageError(f"unknown action {action!r}; one of: {', '.join(ACTIONS)}")
    run_action(action)
    sys.exit(0)


@click.command("actions")
def list_actions():
    """List the ribbon actions and what each reads and writes."""
    from ..locale import action_text, group_label
    from ..registry import ACTIONS

    for a in ACTIONS.values():
        click.echo(f"{a.name:20} {group_label(a.group)}/{action_text(a.name)[0]:12} "
                   f"reads {','.join(a.reads) or '-'}; writes {','.join(a.writes) or '-'}")


def _choose_lang(ctx, param, value):
    from ..locale import choose, follow_book

    choose(value)
    follow_book(None)  # until a workbook is opened, messages speak the chosen language or Chinese
    return value


LANG_OPTION = click.Option(["--lang"], type=click.Choice(["zh", "en"]), expose_value=False, is_eager=True,
                           callback=_choose_lang,
                           help="Language of messages (default: the workbook's; or set QUALITYBOOK_LANG).")
cli = Group("qualitybook", commands=[*data.COMMANDS, *analysis.COMMANDS, *improvement.COMMANDS, *departments.COMMANDS, *appraisal.COMMANDS, *reports.COMMANDS, *config.COMMANDS, run,
                                  list_actions], params=[LANG_OPTION],
            context_settings={"help_option_names": ["-h", "--help"]},
            help="QualityBook: service-quality monitoring in an Excel workbook (质量监控工作簿).")
cli = click.version_option(package_name="qualitybook")(cli)


def quiet_library_warnings() -> None:
    """pandas' advice to its programmers (a fragmented frame, a chained assignment) is no news for the user."""
    import warnings

    warnings.filterwarnings("ignore", message=".*highly fragmented")
    warnings.filterwarnings("ignore", module="pandas")


def main():
    quiet_library_warnings()
    cli(prog_name="qualitybook")
