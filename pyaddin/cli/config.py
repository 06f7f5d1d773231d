"""``qualitybook config``: set the settings of 监控标准 from the command line."""
from __future__ import annotations

from pathlib import Path

import click

from .options import book_argument, json_option, run_action


def _settings(ctx, param, items):
    out = []
    for item in items:
        key, found, value = item.partition("=")
        if not found or not key.strip():
            raise click.BadParameter(f"{item!r}: expected KEY=VALUE / 应为 键=值", param=param)
        out.append((key.strip(), value.strip()))
    return tuple(out)


@click.command()
@book_argument
@click.argument("settings", nargs=-1, required=True, metavar="KEY=VALUE...", callback=_settings)
@json_option
def config(book: Path, settings, as_json):
    """Set one or more settings of the Standards sheet (监控标准) of BOOK, each checked by its type first.

    \b
    qualitybook config book.xlsm sla_clock=working working_hours=08:30-17:30 working_days=mon-sat
    qualitybook config book.xlsm service_hours_phone=24x7 service_level_s=20 short_abandon_s=5

    KEY is a setting's key or its name; an unknown key lists them all. sla_clock is calendar or working;
    hours are HH:MM-HH:MM (optionally followed by days) or 24x7; days are mon-fri, 周一至周五 or a list.
    """
    run_action("config", book, as_json=as_json, pairs=settings)


COMMANDS = (config,)
