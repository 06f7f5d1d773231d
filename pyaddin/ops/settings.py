"""Setting 监控标准 from the command line (``qualitybook config BOOK KEY=VALUE…``): every value checked against
its declaration (``pyaddin.settings``) before anything is written; all or nothing."""
from __future__ import annotations

from .. import schema, settings
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, listing, setting_name, text
from ..schema import norm


def resolve(name: str) -> settings.Setting:
    """A setting by its key or its name in either language; an unknown one names every key there is."""
    n = norm(name)
    for s in settings.SETTINGS:
        if n in (norm(s.key), norm(setting_name(s.key, "zh")), norm(setting_name(s.key, "en"))):
            return s
    raise QBError("unknown_setting", setting=name,
                  keys=listing(f"{s.key} ({setting_name(s.key, current())})" for s in settings.SETTINGS))


def checked(pairs) -> list[tuple[settings.Setting, object]]:
    out = []
    for name, value in pairs:
        s = resolve(name)
        try:
            out.append((s, settings.parse(s, value)))
        except settings.BadValue as e:
            raise QBError("bad_setting", setting=s.key, value=str(value), reason=text(e.reason, current(), **e.args_)) from None
    return out


@action("config", group="data", icon="ControlProperties", reads=(schema.STANDARDS.name,),
        writes=(schema.STANDARDS.name,), ribbon=False)
def configure(ctx, book, pairs=()) -> Outcome:
    """Set settings of 监控标准 (rows of kind 参数): the value in 目标值 for a number, in 取值 otherwise."""
    import pandas as pd

    wanted = checked(pairs)
    if not wanted:
        raise QBError("no_settings", keys=listing(s.key for s in settings.SETTINGS))
    parsed = book.read(schema.STANDARDS)
    if parsed.issues:
        from .data import problem_lines

        raise QBError("existing_unreadable", exit_code=1, count=len(parsed.issues),
                      sheet=book.sheet_name(schema.STANDARDS), details=problem_lines(parsed.issues))
    frame = parsed.data.copy()
    lines, logged = [], []
    for s, value in wanted:
        stored = settings.shown(s, value, book.lang)
        rows = frame.index[(frame["kind"] == "setting") & (frame["key"] == s.key)]
        if not len(rows):
            frame = pd.concat([frame, pd.DataFrame([{"kind": "setting", "key": s.key,
                                                     "name": setting_name(s.key, book.lang)}])], ignore_index=True)
            rows = frame.index[-1:]
        old = frame.loc[rows[0], "text" if s.in_text else "value"]
        frame.loc[rows, ["value", "text"]] = [None, stored] if s.in_text else [stored, None]
        was = "—" if old is None or old != old else _plain(old)
        lines.append(text("setting_line", current(), setting=s.key, name=setting_name(s.key, current()), old=was,
                          new=_plain(stored)))
        logged.append(text("log_setting", book.lang, name=setting_name(s.key, book.lang), old=was, new=_plain(stored)))
    book.write(schema.STANDARDS, frame)
    book.forget_settings()
    return Outcome("config_done", {"n": len(wanted), "sheet": book.sheet_name(schema.STANDARDS)}, details=lines,
                   data={s.key: _plain(settings.shown(s, v, "en")) for s, v in wanted},
                   log_target=book.sheet_name(schema.STANDARDS), log_detail=text("list_sep", book.lang).join(logged))


def _plain(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v
