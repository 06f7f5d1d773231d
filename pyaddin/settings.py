"""The settings of 监控标准 (kind 参数): each declared once with its type, default and bounds.

``qualitybook config`` checks a value against its declaration before writing it; the calculations
read the typed value through the same declaration, so a setting typed by hand on the sheet and one set
from the command line mean the same.  Numbers live in the row's 目标值 (value) column; settings that are
not numbers (the SLA clock, working hours, working days, a channel's service hours, the default department, the
quality team's contact) in its 取值 (text) column, written in the workbook's language and read in either.  No pandas here: ``config`` starts fast.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import schema
from .schema import norm

SLA_CLOCK = schema.Enum("sla_clock", (("calendar", "日历时间", "Calendar time"), ("working", "工作时间", "Working time")),
                        aliases={"日历": "calendar", "自然时间": "calendar", "working hours": "working",
                                 "business hours": "working", "工作日": "working"})


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str  # number | integer | choice | hours | weekdays | text
    default: object = None  # as stored: a number, or the canonical text ("calendar", "09:00-18:00", "mon-fri");
    # for a text, its (zh, en) wording
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None  # strictly greater than
    enum: schema.Enum | None = None

    @property
    def in_text(self) -> bool:
        """Stored in the 取值 column (not a number)."""
        return self.kind in ("choice", "hours", "weekdays", "text")


_NUMBERS = dict(schema.SETTING_DEFAULTS)  # the numeric defaults are the schema's (the build writes them)


def _n(key, minimum=None, maximum=None, above=None, kind="number") -> Setting:
    return Setting(key, kind, _NUMBERS[key], minimum, maximum, above)


SETTINGS: tuple[Setting, ...] = (
    _n("qa_pass_mark", 0, 100), _n("appraisal_complaint_points_per_pct", 0), _n("appraisal_complaint_cap", 0),
    _n("appraisal_min_tickets", 0, kind="integer"), _n("appraisal_cap", above=0), _n("appraisal_raw", 0, 1, kind="integer"),
    _n("appraisal_major_points", 0), _n("grade_a", 0, 100), _n("grade_b", 0, 100),
    _n("grade_c", 0, 100), _n("audit_sample_pct", 0, 100), _n("audit_min_per_agent", 0, kind="integer"),
    _n("utc_offset_h", -12, 14), _n("date_day_first", 0, 1, kind="integer"),
    # DOMAIN.md §4: the SLA clock, the phone line, complaints and on-site visits
    Setting("sla_clock", "choice", "calendar", enum=SLA_CLOCK),
    Setting("working_hours", "hours", "09:00-18:00"),
    Setting("working_days", "weekdays", "mon-fri"),
    *(Setting(f"service_hours_{c}", "hours") for c in schema.CHANNEL.keys()),  # blank: the working hours
    _n("short_abandon_s", 0), _n("service_level_s", above=0), _n("complaint_first_response_min", above=0),
    _n("complaint_resolution_days", above=0), _n("visit_grace_min", 0),
    # names: the department of an export without a department column (blank: none, DOMAIN.md §3), and whom
    # departments ask about their workbook (§10)
    Setting("default_department", "text"),
    Setting("quality_contact", "text", ("质量监控部", "Quality monitoring team")),
    # where each input table's rows live (pyaddin.engine.source): blank, the workbook's own table; a Parquet file,
    # folder or glob, a CSV folder or a DuckDB file; and the rows a department's workbook keeps of a shared source
    *(Setting(f"source.{t}", "text") for t in ("tickets", "surveys", "inspections", "calls")),
    Setting("source.filter", "text"),
)
BY_KEY = {s.key: s for s in SETTINGS}
TEXTS = tuple(s for s in SETTINGS if s.in_text)  # rows a new workbook carries (a text without a default blank)
FIELD_DEFAULTS = tuple(s.key for s in SETTINGS if s.key.startswith("default_"))  # default_<field>: a field's value


class BadValue(ValueError):
    """A value its setting cannot hold; ``reason`` is a message key, ``args`` fills it."""

    def __init__(self, reason: str, **args):
        super().__init__(reason)
        self.reason, self.args_ = reason, args


# ----------------------------------------------------------------------------- weekdays and hours

_DAYS = {}
for _i, (_k, _zh, _en) in enumerate((("mon", "周一", "monday"), ("tue", "周二", "tuesday"), ("wed", "周三", "wednesday"),
                                     ("thu", "周四", "thursday"), ("fri", "周五", "friday"), ("sat", "周六", "saturday"),
                                     ("sun", "周日", "sunday"))):
    for _s in (_k, _zh, _en, _zh.replace("周", "星期"), _zh.replace("周", "礼拜"), str(_i + 1)):
        _DAYS[norm(_s)] = _i
_DAYS.update({norm("周天"): 6, norm("星期天"): 6, norm("礼拜天"): 6})
_RANGE = re.compile(r"\s*(?:-|–|—|~|～|至|到)\s*")
_ALL_DAY = {norm(s) for s in ("24x7", "24×7", "7x24", "7×24", "7×24小时", "7x24小时", "24/7", "全天", "全天候")}
_HOURS = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})[:：](\d{2})\s*(.*)$")


def parse_weekdays(text: str) -> frozenset[int]:
    """'mon-fri', '周一至周五', '周一、周三', '1-5' → {0, …} (Monday 0, as pandas counts)."""
    days: set[int] = set()
    for part in re.split(r"[,，、;；/\s]+", str(text).strip()):
        if not part:
            continue
        ends = _RANGE.split(part)
        if len(ends) > 2 or any(norm(e) not in _DAYS for e in ends):
            raise BadValue("setting_bad_weekdays")
        a, b = _DAYS[norm(ends[0])], _DAYS[norm(ends[-1])]
        days.update(range(a, b + 1) if a <= b else (*range(a, 7), *range(0, b + 1)))
    if not days:
        raise BadValue("setting_bad_weekdays")
    return frozenset(days)


def weekdays_text(days, lang: str) -> str:
    """A set of weekdays as people write it: 周一至周五 / Mon-Fri, or a list."""
    names = [(("周一", "周二", "周三", "周四", "周五", "周六", "周日") if lang == "zh"
              else ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))[d] for d in sorted(days)]
    ds = sorted(days)
    if len(ds) > 2 and ds == list(range(ds[0], ds[-1] + 1)):
        return f"{names[0]}至{names[-1]}" if lang == "zh" else f"{names[0]}-{names[-1]}"
    return ("、" if lang == "zh" else ", ").join(names)


@dataclass(frozen=True)
class Hours:
    """Opening hours: minutes after midnight [start, end) on ``days`` (None: the working days)."""

    start: int
    end: int
    days: frozenset[int] | None = None

    @property
    def all_week(self) -> bool:
        return self.start == 0 and self.end == 1440 and self.days == frozenset(range(7))


def parse_hours(text: str) -> Hours:
    """'09:00-18:00', '08:00-22:00 周一至周日', '24x7' / '7×24小时' / '全天'."""
    if norm(text) in _ALL_DAY:
        return Hours(0, 1440, frozenset(range(7)))
    m = _HOURS.match(str(text))
    if not m:
        raise BadValue("setting_bad_hours")
    h1, m1, h2, m2 = (int(x) for x in m.groups()[:4])
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or end > 1440 or start >= end:
        raise BadValue("setting_bad_hours")
    return Hours(start, end, parse_weekdays(m.group(5)) if m.group(5).strip() else None)


def hours_text(h: Hours, lang: str) -> str:
    if h.all_week:
        return "7×24小时" if lang == "zh" else "24×7"
    span = f"{h.start // 60:02d}:{h.start % 60:02d}-{h.end // 60:02d}:{h.end % 60:02d}"
    return span if h.days is None else f"{span} {weekdays_text(h.days, lang)}"


# ----------------------------------------------------------------------------- one value

def parse(setting: Setting, value) -> object:
    """A value as typed (on the sheet or after ``KEY=``) → the setting's value; BadValue when it cannot hold it."""
    if setting.kind == "choice":
        key = setting.enum.lookup().get(norm(value))
        if key is None:
            raise BadValue("setting_bad_choice", allowed=" / ".join(f"{k} {z} {e}" for k, z, e in setting.enum.members))
        return key
    if setting.kind == "hours":
        return parse_hours(value)
    if setting.kind == "weekdays":
        return parse_weekdays(value)
    if setting.kind == "text":
        return str(value).strip()
    try:
        number = float(str(value).strip().replace(",", "")) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        raise BadValue("bad_number") from None
    if number != number:
        raise BadValue("bad_number")
    if setting.kind == "integer" and not number.is_integer():
        raise BadValue("bad_integer")
    for limit, wrong, reason in ((setting.minimum, number < (setting.minimum or 0), "below_min"),
                                 (setting.maximum, number > (setting.maximum or 0), "above_max"),
                                 (setting.above, number <= (setting.above or 0), "not_above")):
        if limit is not None and wrong:
            raise BadValue(reason, minimum=limit, maximum=limit)
    return number


def shown(setting: Setting, value, lang: str) -> object:
    """A parsed value as the workbook stores it: a number, or text in the workbook's language."""
    if setting.kind == "choice":
        return setting.enum.label(value, lang)
    if setting.kind == "hours":
        return hours_text(value, lang)
    if setting.kind == "weekdays":
        return weekdays_text(value, lang)
    return int(value) if setting.kind == "integer" else value


def default_shown(setting: Setting, lang: str) -> object:
    """The default as a new workbook shows it; None for a setting blank by default."""
    if setting.default is None:
        return None
    if setting.kind == "text":
        return setting.default[0 if lang == "zh" else 1]
    return shown(setting, parse(setting, setting.default), lang)


def typed(numbers: dict[str, float], texts: dict[str, str]) -> dict[str, object]:
    """Every setting's value from the 参数 rows (numbers and texts as read), its default where missing or unreadable
    (``check`` reports an unreadable one: see ``problems``)."""
    out: dict[str, object] = {}
    for s in SETTINGS:
        raw = texts.get(s.key) if s.in_text else numbers.get(s.key)
        for candidate in (raw, None if s.kind == "text" else s.default):  # a text's default is in words
            if candidate is None or candidate != candidate or (isinstance(candidate, str) and not candidate.strip()):
                continue
            try:
                out[s.key] = parse(s, candidate)
                break
            except BadValue:
                continue
        else:
            out[s.key] = None
    return out
