"""The one declaration of every QualityBook table (DOMAIN.md §2–3).

The workbook build, the templates, the import readers and the validation all read
this module; nothing else restates a header, a type, an enum or an alias.  It is long because it is
the one place where every table is declared: splitting it would scatter that declaration.  Labels
live here (not in ``locale``) because a label *is* the column's identity in the
user's workbook: the Chinese and English builds differ only by which label they show.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Literal

from .locale.en import ACTIONS as EN_ACTIONS  # the ribbon's words and the log's results: one place per language
from .locale.en import LOG_RESULTS as EN_RESULTS
from .locale.zh import ACTIONS as ZH_ACTIONS
from .locale.zh import LOG_RESULTS as ZH_RESULTS

FieldType = Literal["text", "datetime", "date", "enum", "integer", "number", "bool", "percent", "seconds"]


@dataclass(frozen=True)
class Enum:
    """A closed vocabulary: canonical key → Chinese and English labels, plus export spellings."""

    name: str
    members: tuple[tuple[str, str, str], ...]  # (key, zh, en)
    aliases: dict[str, str] = field(default_factory=dict)  # normalised spelling → key
    default: str | None = None

    def keys(self) -> list[str]:
        return [k for k, _, _ in self.members]

    def label(self, key: str, lang: str) -> str:
        for k, zh, en in self.members:
            if k == key:
                return zh if lang == "zh" else en
        return key

    def label_map(self, lang: str) -> dict[str, str]:
        return {k: (zh if lang == "zh" else en) for k, zh, en in self.members}

    def labels(self, lang: str) -> list[str]:
        return [self.label(k, lang) for k in self.keys()]

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling (normalised) → canonical key."""
        out: dict[str, str] = {}
        for k, zh, en in self.members:
            for s in (k, zh, en):
                out[norm(s)] = k
        for s, k in self.aliases.items():
            out[norm(s)] = k
        return out


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    type: FieldType = "text"
    required: bool = False
    unique: bool = False
    enum: Enum | None = None
    aliases: tuple[str, ...] = ()
    width: float = 14
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None  # strictly greater than (a max score of 0 means nothing)
    not_before: str | None = None  # another field of the row this one may not precede (times after creation)
    at_most: str | None = None  # another field of the row this one may not exceed (score ≤ max score)
    references: tuple[str, str] | None = None  # (table key, field): the value must exist there
    derives: tuple[str, float] | None = None  # a duration standing in for a timestamp: (field, seconds per unit)
    choices: str | None = None  # a dropdown from one of the workbook's lists (see ``dropdown_lists``)
    editable_by_department: bool = False  # §10: what a department fills in its returned workbook
    hidden: bool = False  # a column the code reads (an internal key) or a chart draws, not for the eye (§2)
    negates: str | None = None  # a yes/no read from exports that is the negation of this field ("Abandoned")
    implied_by: str | None = None  # a blank yes/no is yes when this number field is above 0, else a cell error

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def number_format(self) -> str | None:
        return {
            "datetime": "yyyy-mm-dd hh:mm",
            "date": "yyyy-mm-dd",
            "integer": "0",
            "number": "0.00",
            "percent": "0.0",
            "seconds": "0",
        }.get(self.type)


@dataclass(frozen=True)
class Table:
    name: str  # the Excel Table (ListObject) name, stable whatever the sheet is called
    key: str  # short key used by the CLI (--into tickets)
    sheet_zh: str
    sheet_en: str
    role: Literal["input", "config", "computed", "worklist", "log"]
    fields: tuple[Field, ...]
    id_field: str | None = None
    needs_one_of: tuple[str, ...] = ()  # a row needs at least one of these filled
    style: str = "TableStyleMedium2"
    place: tuple[str, int, int] | None = None  # (host table, top row, first column 0-based): shares the host's sheet
    derived: tuple[Field, ...] = ()  # read from exports, never stored: durations that give a timestamp
    top: int = 1  # header row on a sheet of its own (the dashboard keeps rows above for its title)
    # a row with this field filled and every one of those blank is an invitation not answered: it needs neither
    # the required fields among those nor one of ``needs_one_of`` (a survey sent, not answered)
    invitation: tuple[str, tuple[str, ...]] | None = None
    # a field exports write in two columns (a call log's Date and Time): (field, date headers, time headers)
    joins: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()

    def sheet(self, lang: str) -> str:
        return self.sheet_zh if lang == "zh" else self.sheet_en

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def field_or_derived(self, key: str) -> Field:
        for f in (*self.fields, *self.derived):
            if f.key == key:
                return f
        raise KeyError(key)


_SPACE = re.compile(r"[\s_\-·/()（）:：]+")


def norm(text: object) -> str:
    """Header and label matching is case-, width- and space-insensitive (NFKC folds full-width)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text)).strip().lower())


# --------------------------------------------------------------------------- enums

CHANNEL = Enum(
    "channel",
    (
        ("phone", "电话", "Phone"),
        ("chat", "在线", "Chat"),
        ("email", "邮件", "Email"),
        ("app", "APP", "App"),
        ("store", "门店", "Store"),
        ("social", "社交媒体", "Social media"),
        ("onsite", "上门", "On-site"),
        ("other", "其他", "Other"),
    ),
    aliases={
        "热线": "phone", "呼叫中心": "phone", "400热线": "phone", "call": "phone", "voice": "phone", "ivr": "phone",
        "phone call": "phone", "phone call (incoming)": "phone", "phone call (outgoing)": "phone", "在线客服": "chat",
        "网页在线": "chat", "live chat": "chat", "web widget": "chat", "messaging": "chat", "virtual agent": "chat",
        "whatsapp": "chat", "bot": "chat", "邮箱": "email", "电子邮件": "email", "mail": "email",
        "outbound email": "email", "mobile": "app", "mobile app": "app", "mobihelp": "app", "小程序": "app",
        "线下门店": "store", "walk-in": "store", "walk in": "store", "微博": "social", "微信": "social",
        "wechat": "social", "weibo": "social", "抖音": "social", "twitter": "social", "facebook": "social",
        "social media": "social", "上门服务": "onsite", "field service": "onsite", "web": "other",
        "web form": "other", "api": "other", "portal": "other", "self-service": "other", "self service": "other",
        "feedback widget": "other", "forum": "other", "closed ticket": "other", "web service": "other",
    },
)

PRIORITY = Enum(
    "priority",
    (("urgent", "紧急", "Urgent"), ("high", "高", "High"), ("normal", "普通", "Normal"), ("low", "低", "Low")),
    aliases={"特急": "urgent", "critical": "urgent", "highest": "urgent", "p1": "urgent", "1 - critical": "urgent",
             "1-critical": "urgent", "高优先级": "high", "p2": "high", "2 - high": "high", "中": "normal",
             "一般": "normal", "medium": "normal", "moderate": "normal", "p3": "normal", "3 - moderate": "normal",
             "低优先级": "low", "lowest": "low", "p4": "low", "4 - low": "low", "5 - planning": "low",
             "1 - high": "high", "2 - medium": "normal", "3 - low": "low",  # ServiceNow's urgency and impact
             "非常紧急": "urgent", "urgent": "urgent", "较急": "high", "急": "high", "normal": "normal"},
    default="normal",
)

# A ticket's state when the export was made (DOMAIN.md §3): a solved/closed/cancelled ticket without a resolution
# time is resolved at an unknown time; one with a resolution time and an open state was reopened.
STATUS = Enum(
    "status",
    (("new", "新建", "New"), ("open", "处理中", "Open"), ("pending", "挂起", "Pending"), ("solved", "已解决", "Solved"),
     ("closed", "已关闭", "Closed"), ("cancelled", "已取消", "Cancelled")),
    aliases={"新": "new", "待处理": "new", "未处理": "new", "novo": "new", "nuevo": "new",
             "in progress": "open", "work in progress": "open", "assigned": "open", "to do": "open",
             "working": "open", "escalated": "open", "active": "open", "em andamento": "open", "aberto": "open",
             "em atendimento": "open", "reopened": "open", "处理中": "open", "已分派": "open", "已受理": "open",
             "on hold": "pending", "hold": "pending", "waiting for customer": "pending",
             "waiting on customer": "pending", "waiting for support": "pending", "waiting on third party": "pending",
             "awaiting user info": "pending", "awaiting customer": "pending", "awaiting problem": "pending",
             "awaiting change": "pending", "awaiting vendor": "pending", "awaiting evidence": "pending",
             "pendente": "pending", "aguardando cliente": "pending", "待回复": "pending", "暂停": "pending",
             "resolved": "solved", "done": "solved", "已处理": "solved", "待关闭": "solved", "solucionado": "solved",
             "resolvido": "solved", "resuelto": "solved", "已完成": "solved", "已办结": "solved", "已解决": "solved",
             "fechado": "closed", "cerrado": "closed", "已关闭": "closed", "已结单": "closed", "已归档": "closed",
             "canceled": "cancelled", "cancelado": "cancelled", "已取消": "cancelled", "已撤销": "cancelled",
             "作废": "cancelled", "已作废": "cancelled", "declined": "cancelled", "rejected": "cancelled",
             "won't do": "cancelled", "withdrawn": "cancelled", "cancelada": "cancelled",
             "waiting for approval": "pending", "awaiting approval": "pending", "pending approval": "pending",
             "under investigation": "open", "in review": "open", "reaberto": "open", "em progresso": "open"},
)

METHOD = Enum(
    "method",
    (
        ("onsite", "明察", "On-site check"),
        ("mystery", "暗访", "Mystery shopper"),
        ("ticket_audit", "工单抽查", "Ticket audit"),
        ("call_review", "录音抽检", "Call review"),
    ),
    aliases={"现场检查": "onsite", "神秘顾客": "mystery", "神秘访客": "mystery", "工单质检": "ticket_audit",
             "录音质检": "call_review", "通话质检": "call_review"},
)

# Booleans arrive as 是/否, Y/N, yes/no, true/false, 1/0 (DOMAIN.md §3).
BOOL_TRUE = ("是", "y", "yes", "true", "1", "t", "√", "✓", "对")
BOOL_FALSE = ("否", "n", "no", "false", "0", "f", "×", "✗", "不是", "")
BOOL_LABELS = {"zh": ("是", "否"), "en": ("Yes", "No")}
# A column mapped to this is set aside: no field takes it, it is kept as an extra column (--map "Resolved=").
IGNORE = "ignore"
IGNORE_LABELS = {"zh": "忽略", "en": "Ignore"}
# Text dates with the year last (09/03/2026): ymd and mdy read month/day/year, dmy day/month/year.
DATE_ORDERS = ("ymd", "mdy", "dmy")

COMPLAINT_LEVEL = Enum(  # DOMAIN.md §3: a major complaint (media exposure, high compensation, repeated escalation)
    "complaint_level", (("minor", "一般", "Minor"), ("major", "重大", "Major")),
    aliases={"普通": "minor", "一般投诉": "minor", "轻微": "minor", "low": "minor", "normal": "minor",
             "重大投诉": "major", "严重": "major", "特大": "major", "critical": "major", "severe": "major",
             "high": "major", "escalated": "major"})

PROBLEM_SOURCE = Enum("problem_source", (
    ("pareto", "帕累托", "Pareto"), ("alert", "预警", "Alert"), ("inspection", "质检", "Inspection"),
    ("complaint", "投诉", "Complaint"), ("feedback", "一线反馈", "Frontline feedback"), ("manual", "手工", "Manual")))
PROBLEM_STATUS = Enum("problem_status", (
    ("open", "待分析", "Open"), ("analysing", "分析中", "Analysing"), ("improving", "改进中", "Improving"),
    ("verifying", "验证中", "Verifying"), ("closed", "已关闭", "Closed")), default="open")
SIX_M = Enum("six_m", (
    ("man", "人", "Man"), ("machine", "机", "Machine"), ("material", "料", "Material"),
    ("method", "法", "Method"), ("environment", "环", "Environment"), ("measurement", "测", "Measurement")))
ACTION_STATUS = Enum("action_status", (
    ("planned", "计划中", "Planned"), ("in_progress", "进行中", "In progress"), ("done", "已完成", "Done"),
    ("overdue", "已逾期", "Overdue"), ("cancelled", "已取消", "Cancelled")), default="planned")
APPROVAL = Enum("approval", (
    ("pending", "待审批", "Pending"), ("approved", "已批准", "Approved"), ("rejected", "已驳回", "Rejected")),
    default="pending")
STANDARD_KIND = Enum("standard_kind", (
    ("target", "指标目标", "Indicator target"), ("sla_first_response", "首响SLA(分钟)", "First-response SLA (min)"),
    ("sla_resolution", "解决SLA(小时)", "Resolution SLA (h)"), ("setting", "参数", "Setting"),
    ("weight", "考核权重", "Appraisal weight"), ("consequence", "考核结果", "Appraisal consequence")))
FREQUENCY = Enum("frequency", (("daily", "每日", "Daily"), ("weekly", "每周", "Weekly"), ("monthly", "每月", "Monthly")))
MONITOR_METHOD = Enum("monitor_method", (
    ("system", "系统数据", "System data"), ("ticket_audit", "工单抽查", "Ticket audit"), ("onsite", "明察", "On-site check"),
    ("mystery", "暗访", "Mystery shopper"), ("survey", "问卷", "Survey")))
CALENDAR_KIND = Enum("calendar_kind", (("holiday", "节假日", "Holiday"), ("workday", "调休上班", "Make-up workday")),
                     aliases={"假日": "holiday", "休息": "holiday", "放假": "holiday", "public holiday": "holiday",
                              "调休": "workday", "补班": "workday", "上班": "workday", "working day": "workday",
                              "workday": "workday", "make-up working day": "workday"})
# What the frontline writes on 一线反馈 (DOMAIN.md §2): a daily log, a process problem, a suggestion, a good case
FEEDBACK_KIND = Enum("feedback_kind", (
    ("daily_log", "服务日志", "Daily log"), ("process", "流程问题", "Process problem"),
    ("suggestion", "改进建议", "Suggestion"), ("highlight", "亮点", "Highlight")),
    aliases={"日志": "daily_log", "工作日志": "daily_log", "log": "daily_log", "流程": "process",
             "process issue": "process", "问题": "process", "建议": "suggestion", "improvement": "suggestion",
             "idea": "suggestion", "亮点案例": "highlight", "good practice": "highlight", "praise": "highlight"})
FEEDBACK_STATUS = Enum("feedback_status", (
    ("new", "待处理", "New"), ("adopted", "已转问题", "Made a problem"), ("noted", "已知悉", "Noted"),
    ("declined", "不采纳", "Declined")), default="new",
    aliases={"新": "new", "新建": "new", "已采纳": "adopted", "采纳": "adopted", "已阅": "noted", "知悉": "noted",
             "rejected": "declined", "驳回": "declined"})
# Where a good case came from (DOMAIN.md §2, §7): proposed from praise, a full-mark inspection, a better signal
HIGHLIGHT_SOURCE = Enum("highlight_source", (
    ("five_star", "五星好评", "5-star comment"), ("full_mark", "质检满分", "Full-mark inspection"),
    ("better_signal", "指标好转", "Better signal"), ("feedback", "一线反馈", "Frontline feedback"),
    ("manual", "手工", "Manual")),
    aliases={"好评": "five_star", "5星": "five_star", "五星": "five_star", "满分": "full_mark",
             "好转": "better_signal", "亮点": "feedback", "手动": "manual"})
DIRECTION = Enum("direction", (("ge", "≥", "≥"), ("le", "≤", "≤")), aliases={">=": "ge", "<=": "le"})

F = Field

# --------------------------------------------------------------------------- input tables

TICKETS = Table("tbl_tickets", "tickets", "工单数据", "Tickets", "input", (
    F("ticket_id", "工单编号", "Ticket ID", required=True, unique=True, width=16,
      aliases=("id", "ticket id", "ticket", "工单号", "工单id", "单号", "服务单号", "ticket number", "case number",
               "casenumber", "issue key", "number", "incident number")),
    F("created_at", "创建时间", "Created at", "datetime", required=True, width=18,
      aliases=("created", "created time", "created date", "受理时间", "创建日期", "提交时间", "开单时间", "来电时间")),
    F("channel", "渠道", "Channel", "enum", enum=CHANNEL, width=10,
      aliases=("via", "source", "来源", "来源渠道", "受理渠道", "接入渠道")),
    F("department", "责任部门", "Department", required=True, width=14,
      aliases=("group", "team", "部门", "处理部门", "所属部门", "责任单位", "处理组")),
    F("agent", "处理人", "Agent", width=12,
      aliases=("assignee", "agent name", "owner", "受理人", "客服", "坐席", "处理坐席", "经办人", "客服人员")),
    F("priority", "优先级", "Priority", "enum", enum=PRIORITY, width=9,
      aliases=("紧急程度", "紧急度", "urgency", "级别", "ticket priority")),
    F("category", "问题类别", "Category", width=16,
      aliases=("type", "ticket type", "问题分类", "问题类型", "工单类型", "业务类型", "诉求类型", "topic")),
    F("first_response_at", "首次响应时间", "First response at", "datetime", width=18,
      not_before="created_at",
      aliases=("first response time", "first responded at", "first reply at", "initial response time",
               "首响时间", "首次回复时间", "首次答复时间", "响应时间")),
    F("resolved_at", "解决时间", "Resolved at", "datetime", width=18, not_before="created_at",
      aliases=("solved at", "resolved time", "resolved", "完结时间", "办结时间", "解决日期", "结单时间")),
    F("contacts", "联系次数", "Contacts", "integer", default=1, minimum=1, width=9,
      aliases=("customer interactions", "联系数", "来电次数", "沟通次数", "interactions")),
    F("reopened", "是否重开", "Reopened", "bool", default=False, width=9,
      aliases=("reopens", "reopen", "重开", "二次开启", "是否二次处理")),
    F("is_complaint", "是否投诉", "Complaint", "bool", default=False, width=9,
      aliases=("is complaint", "complaint flag", "投诉", "投诉标记", "是否投诉单")),
    F("complaint_level", "投诉等级", "Complaint level", "enum", enum=COMPLAINT_LEVEL, width=9,
      aliases=("投诉级别", "投诉严重程度", "complaint severity")),  # filled ⇒ a complaint (DOMAIN.md §3)
    F("resolution_note", "处理记录", "Resolution note", width=30,
      aliases=("resolution", "notes", "处理结果", "处理说明", "处理意见", "备注", "回复内容")),
    # on-site visits (DOMAIN.md §3): a ticket with an appointment or an arrival is a visit
    F("appointment_at", "预约时间", "Appointment at", "datetime", width=18,
      aliases=("appointment", "appointment time", "scheduled at", "scheduled time", "预约上门时间", "预约日期")),
    F("arrived_at", "到达时间", "Arrived at", "datetime", width=18,
      aliases=("arrival time", "arrived", "actual arrival", "上门时间", "实际到达时间", "签到时间")),
    F("visit_end_at", "离开时间", "Visit ended at", "datetime", width=18, not_before="arrived_at",
      aliases=("departure time", "left at", "visit end", "完工时间", "离场时间", "离开日期")),
    F("fixed_first_visit", "一次上门解决", "Fixed on first visit", "bool", width=10,
      aliases=("first time fix", "first-time fix", "fixed first visit", "首次上门解决", "是否一次上门解决")),
    F("status", "状态", "Status", "enum", enum=STATUS, width=10,
      aliases=("state", "incident state", "ticket status", "工单状态", "处理状态", "当前状态")),
    # a breakdown like the department's where the export carries one (DOMAIN.md §3; the seeds' 某区域)
    F("region", "区域", "Region", width=10, aliases=("地区", "片区", "大区", "area", "服务区域", "所属区域", "city", "城市")),
), id_field="ticket_id", derived=(
    F("closed_at", "关闭时间", "Closed at", "datetime", derives=("resolved_at", 0),
      aliases=("closed", "closed time", "closed date", "关闭日期")),  # only when the export has no resolution column
    F("first_response_min", "首次响应时长(分钟)", "First response (min)", "number", minimum=0,
      derives=("first_response_at", 60), aliases=("first reply time in minutes", "first reply time (min)",
                                                  "首响时长", "首响时长(分钟)", "首次响应时长")),
    F("first_response_h", "首次响应时长(小时)", "First response (h)", "number", minimum=0,
      derives=("first_response_at", 3600), aliases=("first response time (in hrs)", "first reply time (hrs)")),
    F("resolution_min", "解决时长(分钟)", "Resolution (min)", "number", minimum=0,
      derives=("resolved_at", 60), aliases=("full resolution time in minutes", "full resolution time (min)")),
    F("first_response_s", "首次响应时长(秒)", "First response (s)", "number", minimum=0,
      derives=("first_response_at", 1), aliases=("first response time (s)", "first reply time in seconds",
                                                 "first response time in seconds", "首响时长(秒)")),
    F("resolution_s", "解决时长(秒)", "Resolution (s)", "number", minimum=0,
      derives=("resolved_at", 1), aliases=("calendar_duration", "calendar duration", "resolution time (s)",
                                          "resolution time in seconds", "解决时长(秒)")),
    F("resolution_days", "解决时长(天)", "Resolution (days)", "number", minimum=0,
      derives=("resolved_at", 86400), aliases=("resolution time (days)", "resolution time in days",
                                              "days to resolve", "解决时长(天)", "处理天数")),
    F("resolution_h", "解决时长(小时)", "Resolution (h)", "number", minimum=0,
      derives=("resolved_at", 3600), aliases=("resolution time (in hrs)", "full resolution time (hrs)",
                                              "处理时长(小时)", "解决时长")),
))

SURVEYS = Table("tbl_surveys", "surveys", "满意度调查", "Surveys", "input", (
    F("survey_id", "问卷编号", "Survey ID", required=True, unique=True, width=16,
      aliases=("id", "response id", "问卷id", "调查编号", "回访编号")),
    F("ticket_id", "工单编号", "Ticket ID", width=16, aliases=("ticket", "工单号", "关联工单")),
    F("submitted_at", "提交时间", "Submitted at", "datetime", required=True, width=18,
      aliases=("submitted", "survey date", "response date", "评价时间", "回访时间", "调查时间")),
    F("channel", "渠道", "Channel", "enum", enum=CHANNEL, width=10, aliases=("来源渠道", "source", "via")),
    F("department", "责任部门", "Department", width=14, aliases=("group", "部门", "所属部门")),
    F("agent", "处理人", "Agent", width=12, aliases=("assignee", "客服", "坐席", "服务人员")),
    F("csat", "满意度评分", "CSAT", "integer", minimum=1, maximum=5, width=10,
      aliases=("satisfaction", "satisfaction score", "rating", "满意度", "评分", "满意度得分")),
    F("nps", "推荐意愿", "NPS", "integer", minimum=0, maximum=10, width=10,
      aliases=("nps score", "likelihood to recommend", "推荐度", "推荐意愿评分", "nps评分")),
    F("comment", "评价内容", "Comment", width=30, aliases=("comments", "feedback", "评价", "意见", "客户意见")),
    F("sent_at", "发送时间", "Sent at", "datetime", width=18,
      aliases=("sent", "invited at", "invitation sent", "survey sent", "邀请时间", "发送日期", "推送时间")),
    # the seeds' dimensions of satisfaction (DOMAIN.md §3), optional, each 1–5 with its own satisfaction rate
    F("attitude", "服务态度", "Attitude", "integer", minimum=1, maximum=5, width=9,
      aliases=("attitude score", "服务态度评分", "态度", "courtesy")),
    F("speed", "响应速度", "Speed", "integer", minimum=1, maximum=5, width=9,
      aliases=("speed score", "响应速度评分", "响应及时性", "responsiveness")),
    F("resolution", "解决能力", "Resolution", "integer", minimum=1, maximum=5, width=9,
      aliases=("resolution score", "解决能力评分", "问题解决", "专业能力")),
    F("wait", "等待体验", "Waiting", "integer", minimum=1, maximum=5, width=9,
      aliases=("wait score", "waiting experience", "等待体验评分", "等候时间")),
), id_field="survey_id", needs_one_of=("csat", "nps"), invitation=("sent_at", ("csat", "nps", "submitted_at")))

INSPECTIONS = Table("tbl_inspections", "inspections", "质检记录", "Inspections", "input", (
    F("inspection_id", "质检编号", "Inspection ID", required=True, width=16, aliases=("id", "质检单号", "audit id", "evaluation id", "scorecard id", "review id")),
    F("inspected_at", "质检时间", "Inspected at", "datetime", required=True, width=18,
      aliases=("date", "audit date", "检查时间", "抽检时间", "evaluation date", "evaluated at", "review date")),
    F("method", "方式", "Method", "enum", enum=METHOD, width=11, aliases=("质检方式", "检查方式", "type")),
    F("department", "责任部门", "Department", width=14, aliases=("部门", "被检部门")),
    F("agent", "处理人", "Agent", width=12, aliases=("被检人", "坐席", "客服", "agent name")),
    F("ticket_id", "工单编号", "Ticket ID", width=16, aliases=("工单号", "ticket")),
    F("item", "检查项", "Item", width=20, aliases=("checklist item", "质检项", "检查项目")),
    F("score", "得分", "Score", "number", required=True, minimum=0, at_most="max_score", width=8,
      aliases=("points", "分数")),  # blank score or max score: an error, never a silently empty qa_score_pct
    F("max_score", "满分", "Max score", "number", required=True, above=0, width=8, aliases=("max", "满分值", "分值")),
    F("critical", "关键项", "Critical", "bool", default=False, width=8, aliases=("是否关键项", "致命项", "critical item")),
    F("note", "备注", "Note", width=24, aliases=("notes", "comment", "说明")),
    F("reviewer", "质检员", "Reviewer", width=10, aliases=("auditor", "inspector", "审核人", "质检人", "evaluator")),
))


# One row per call offered to the phone line (DOMAIN.md §3 Calls): an ACD/CDR export goes in like a ticket export.
# The shape of a common call-centre report ("Call Id, Agent, Date, Time, Topic, Answered (Y/N), Resolved, Speed of
# answer in seconds, AvgTalkDuration, Satisfaction rating") and the headers of Chinese ACD exports are recognised.
CALLS = Table("tbl_calls", "calls", "通话记录", "Calls", "input", (
    F("call_id", "通话编号", "Call ID", required=True, unique=True, width=16,
      aliases=("call id", "id", "callid", "call no", "呼叫编号", "通话id", "话单编号", "通话流水号", "流水号", "录音编号")),
    F("started_at", "来电时间", "Started at", "datetime", required=True, width=18,
      aliases=("start time", "call start", "call time", "start", "呼入时间", "开始时间", "呼叫时间", "进线时间")),
    F("queue", "队列", "Queue", width=12, aliases=("queue name", "skill", "skill group", "技能组", "队列名称", "热线队列")),
    F("department", "责任部门", "Department", width=14, aliases=("group", "team", "部门", "所属部门")),
    F("agent", "坐席", "Agent", width=12,
      aliases=("agent name", "agent id", "处理人", "坐席工号", "坐席姓名", "工号", "客服", "接听坐席", "接听人")),
    F("category", "来电类型", "Call type", width=16,
      aliases=("topic", "call type", "reason", "来电原因", "业务类型", "咨询类型", "问题类别")),
    F("answered", "是否接通", "Answered", "bool", width=9, implied_by="talk_s",
      aliases=("answered (y/n)", "answered y/n", "接通", "是否应答", "应答", "接通状态")),
    F("wait_s", "等待时长(秒)", "Wait (s)", "seconds", minimum=0, width=10,
      aliases=("speed of answer in seconds", "speed of answer", "wait time", "queue time", "wait", "排队时长",
               "等待时长", "排队时长(秒)", "应答时长")),
    F("talk_s", "通话时长(秒)", "Talk (s)", "seconds", minimum=0, width=10,
      aliases=("avgtalkduration", "talk duration", "talk time", "talk", "通话时长", "通话时长(秒)")),
    F("hold_s", "保持时长(秒)", "Hold (s)", "seconds", minimum=0, width=10, aliases=("hold time", "hold", "保持时长")),
    F("after_call_s", "话后处理时长(秒)", "After-call work (s)", "seconds", minimum=0, width=12,
      aliases=("acw", "after call work", "after-call work", "wrap up time", "wrap-up time", "话后处理时长", "话后时长",
               "整理时长")),
    F("transferred", "是否转接", "Transferred", "bool", width=9, aliases=("transfer", "转接", "是否转出")),
    F("resolved", "是否解决", "Resolved", "bool", width=9, aliases=("问题是否解决", "解决", "已解决")),
    F("csat", "满意度评分", "CSAT", "integer", minimum=1, maximum=5, width=10,
      aliases=("satisfaction rating", "satisfaction", "rating", "满意度", "评价", "满意度得分")),
), id_field="call_id", derived=(
    F("abandoned", "是否放弃", "Abandoned", "bool", negates="answered",
      aliases=("abandon", "放弃", "呼损", "是否呼损", "未接通")),
), joins=(("started_at", ("date", "call date", "日期", "来电日期"), ("time", "时间", "来电时刻")),))

# The frontline's voice (DOMAIN.md §2): entries typed here, imported, or added by departments on the 一线反馈
# sheet of their workbook and appended by 回收汇总 (§10); a suggestion or a process problem becomes a problem.
FEEDBACK = Table("tbl_feedback", "feedback", "一线反馈", "Feedback", "input", (
    F("feedback_id", "反馈编号", "Feedback ID", unique=True, width=10, aliases=("id", "编号", "反馈id")),
    F("date", "日期", "Date", "date", required=True, width=12,
      aliases=("反馈日期", "日志日期", "填写日期", "feedback date", "day")),
    F("person", "反馈人", "Person", required=True, width=10,
      aliases=("填写人", "员工", "姓名", "人员", "name", "staff", "reported by", "坐席", "处理人")),
    F("department", "部门", "Department", required=True, width=14,
      aliases=("责任部门", "所属部门", "team", "group")),
    F("kind", "类型", "Kind", "enum", enum=FEEDBACK_KIND, required=True, width=10,
      aliases=("反馈类型", "类别", "type")),
    F("text", "内容", "Text", required=True, width=44,
      aliases=("反馈内容", "描述", "content", "feedback", "建议内容", "日志内容", "说明")),
    F("status", "处理状态", "Status", "enum", enum=FEEDBACK_STATUS, width=10, aliases=("状态", "state")),
    F("problem_id", "问题编号", "Problem ID", width=10, references=("problems", "problem_id"),
      aliases=("关联问题", "linked problem")),
    # a row a department added on its returned workbook: the hash that keeps a second collect from adding it twice
    F("origin", "回收校验码", "Return fingerprint", width=12, hidden=True),
), id_field="feedback_id")

# --------------------------------------------------------------------------- configuration

STANDARDS = Table("tbl_standards", "standards", "监控标准", "Standards", "config", (
    F("kind", "类型", "Kind", "enum", enum=STANDARD_KIND, required=True, width=16),
    F("key", "键", "Key", required=True, width=26, hidden=True),
    F("name", "名称", "Name", width=22),
    F("direction", "方向", "Direction", "enum", enum=DIRECTION, width=8),
    F("value", "目标值", "Value", "number", width=10),
    F("text", "取值", "Setting", width=14),  # a setting that is not a number: 工作时间, 09:00-18:00, 周一至周五, a name
    F("warning_band", "预警幅度", "Warning band", "number", width=10),
    F("note", "说明", "Note", width=40),
    F("owner", "负责部门", "Owner department", width=14),  # an indicator's owner: its alerts' problems go there
    # the seeds' 对标行业平均: an indicator's industry reference, shown beside its target where filled
    F("benchmark", "行业参考", "Industry reference", "number", width=10, aliases=("行业平均", "行业标杆", "benchmark")),
), style="TableStyleMedium4")  # a setting blank in both 目标值 and 取值 has its default (pyaddin/settings.py)

# Holidays and make-up working days (调休) for the working-time clock (DOMAIN.md §4); hours and weekdays are settings.
CALENDAR = Table("tbl_calendar", "calendar", "工作日历", "Calendar", "config", (
    F("date", "日期", "Date", "date", required=True, unique=True, width=12, aliases=("day", "日期(公历)")),
    F("kind", "类型", "Kind", "enum", enum=CALENDAR_KIND, required=True, width=11, aliases=("type", "类别")),
    F("note", "说明", "Note", width=36, aliases=("name", "holiday", "节日", "备注", "description")),
), id_field="date", style="TableStyleMedium4")

MAPPING = Table("tbl_mapping", "mapping", "字段映射", "Mapping", "config", (
    F("table", "表", "Table", required=True, width=14, choices="tables"),
    F("source_header", "来源表头", "Source header", required=True, width=24),
    F("field", "映射到字段", "Maps to field", width=20, choices="fields"),
), style="TableStyleMedium4")
VALUE_MAPPING = Table("tbl_value_mapping", "value_mapping", "字段映射", "Mapping", "config", (
    F("field", "字段", "Field", required=True, width=16, choices="coded_fields"),
    F("source_value", "来源取值", "Source value", required=True, width=22),
    F("value", "对应取值", "Maps to value", width=16, choices="values"),
), style="TableStyleMedium4", place=("tbl_mapping", 1, 4))

SCORECARD = Table("tbl_scorecard", "scorecard", "质检标准", "Scorecard", "config", (
    F("channel", "适用渠道", "Channel", "enum", enum=CHANNEL, width=10),  # blank: every channel
    F("item", "检查项", "Item", required=True, width=20),
    F("max_score", "满分", "Max score", "number", required=True, above=0, width=8),
    F("critical", "关键项", "Critical", "bool", width=8),
    F("guide", "评分要点", "What to look for", width=40),
), style="TableStyleMedium4")

MONITOR_PLAN = Table("tbl_monitor_plan", "monitor_plan", "监控计划", "Monitoring plan", "config", (
    F("indicator", "监控指标", "Indicator", required=True, width=20),
    F("target", "目标值", "Target", "number", width=9),
    F("frequency", "频次", "Frequency", "enum", enum=FREQUENCY, required=True, width=8),
    F("owner", "负责人", "Owner", width=10),
    F("channels", "渠道范围", "Channels", width=14),
    F("method", "监控方式", "Method", "enum", enum=MONITOR_METHOD, width=10),
    F("next_due", "下次执行", "Next due", "date", width=12),
    F("special_from", "专项监控开始", "Special from", "date", width=12),  # a special period (e.g. before a holiday)
    F("special_to", "专项监控结束", "Special to", "date", width=12),
    F("note", "说明", "Note", width=30),
), style="TableStyleMedium4")

# Who belongs where (DOMAIN.md §9: an agent is appraised in the department of the row covering most of the quarter)
STAFF = Table("tbl_staff", "staff", "人员名单", "Staff", "config", (
    F("agent", "人员", "Agent", required=True, width=12, aliases=("处理人", "姓名", "name", "员工")),
    F("department", "所属部门", "Department", required=True, width=14, aliases=("部门", "责任部门", "team")),
    F("role", "岗位", "Role", width=12, aliases=("职务", "角色")),
    F("active_from", "在岗开始", "Active from", "date", width=12, aliases=("开始日期", "入职日期", "from")),
    F("active_to", "在岗结束", "Active to", "date", width=12, not_before="active_from",
      aliases=("结束日期", "离岗日期", "to")),
), style="TableStyleMedium4")

# Which department owns the problems of a category (DOMAIN.md §6: the owner of a Pareto problem)
RESPONSIBILITY = Table("tbl_responsibility", "responsibility", "责任分工", "Responsibilities", "config", (
    F("category", "问题类别", "Category", required=True, unique=True, width=16, aliases=("类别", "问题分类")),
    F("department", "责任部门", "Department", required=True, width=14, aliases=("部门", "负责部门")),
    F("note", "说明", "Note", width=30, aliases=("备注",)),
), style="TableStyleMedium4")

# --------------------------------------------------------------------------- computed and worklists

KPI = Table("tbl_kpi", "kpi", "KPI看板", "KPI", "computed", (
    F("scope", "维度", "Scope", width=10), F("group", "分组", "Group", width=14),
    F("metric", "指标", "Metric", width=26, hidden=True), F("name", "指标名称", "Indicator", width=18),
    F("value", "实际值", "Value", "number", width=10), F("target", "目标值", "Target", "number", width=9),
    F("status", "状态", "Status", width=9),
    F("benchmark", "行业参考", "Industry reference", "number", width=9),  # 监控标准's 行业参考, where filled
), style="TableStyleMedium9", top=4)

_METRIC_FIELDS = {f.key: f for f in (
    F("first_response_sla_pct", "首响达成率%", "First-response SLA %", "percent", width=11),
    F("resolution_sla_pct", "解决达成率%", "Resolution SLA %", "percent", width=11),
    F("fcr_pct", "一次解决率%", "FCR %", "percent", width=10),
    F("csat_pct", "满意度%", "CSAT %", "percent", width=9),
    F("complaint_rate_pct", "投诉率%", "Complaint rate %", "percent", width=9),
    F("qa_score_pct", "质检得分%", "QA score %", "percent", width=10),
    F("rectification_pct", "整改完成率%", "Rectification %", "percent", width=11),
    F("nps", "NPS", "NPS", "percent", width=8),
    F("record_completeness_pct", "记录完整率%", "Record completeness %", "percent", width=11),
)}


def metric_fields(*keys: str) -> tuple[Field, ...]:
    """Indicator columns of computed tables, declared once."""
    return tuple(_METRIC_FIELDS[k] for k in keys)


_WEEKDAYS = (("mon", "周一", "Mon"), ("tue", "周二", "Tue"), ("wed", "周三", "Wed"), ("thu", "周四", "Thu"),
             ("fri", "周五", "Fri"), ("sat", "周六", "Sat"), ("sun", "周日", "Sun"))
WEEKDAY_KEYS = tuple(k for k, _, _ in _WEEKDAYS)  # Monday first, as pandas' day_of_week counts
KPI_TREND = Table("tbl_kpi_trend", "kpi_trend", "KPI总览", "KPI overview", "computed", (
    F("week", "周(起始日)", "Week of", "date", width=11),
    *metric_fields("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct"),
    F("tickets", "工单量", "Tickets", "integer", width=8),
    F("partial", "部分周", "Partial week", "bool", width=8),  # a week cut by the period's start or end
), style="TableStyleLight9", place=("tbl_kpi_cards", 51, 36))  # beside its charts, not printed; nothing below
KPI_HEATMAP = Table("tbl_kpi_heatmap", "kpi_heatmap", "KPI总览", "KPI overview", "computed", (
    F("hour", "时段", "Hour", "integer", width=6),
    *(F(f"volume_{k}", f"{zh}量", f"{en} volume", "integer", width=5) for k, zh, en in _WEEKDAYS),
    *(F(f"sla_{k}", f"{zh}首响%", f"{en} 1st-resp %", "percent", width=6.5) for k, zh, en in _WEEKDAYS),
), style="TableStyleLight15", place=("tbl_kpi_cards", 51, 13))  # the printed second page begins with it, 24 hours whole

# The overview a manager looks at first, laid out as the two A4-landscape pages it prints on, each a print range of
# its own (build/dashboard.overview_pages).  Page one, columns A–L, one block under the other: a card row per
# headline indicator (value, target, status, the previous period, the change), the phone line's and the visits'
# card rows, the channel matrix and the department matrix (both coloured against the cards' targets:
# build/dashboard.matrix_colours).  Page two, from N51 (below and right of page one, so that neither page's column
# widths nor row heights disturb the other): the hour × weekday heat map, the best and worst agents under it, the
# weekly and 13-month charts on its right; the weekly and monthly tables the charts draw from stand beyond them,
# unprinted.  A table placed below another is pushed down as that one grows, so every table with something below
# it has a fixed size, prefilled when the workbook is built, and the two whose length varies (the departments,
# the weeks) have nothing below them.
KPI_CARDS = Table("tbl_kpi_cards", "kpi_cards", "KPI总览", "KPI overview", "computed", (
    F("name", "指标", "Indicator", width=20), F("value", "本期", "This period", "percent", width=9),
    F("target", "目标值", "Target", "percent", width=8), F("band", "预警带", "Warning band", "percent", width=8),
    F("previous", "上期", "Previous", "percent", width=9), F("change", "变化", "Change", "percent", width=8),
    F("status", "状态", "Status", width=8),
    F("benchmark", "行业参考", "Industry ref.", "percent", width=8),  # 监控标准's 行业参考, where filled
), style="TableStyleMedium2", top=4)  # columns in step with the trend table below them, which sets their formats
# The phone line's card row (DOMAIN.md §4 Calls), below the cards, titled with the calls offered: fixed rows too.
PHONE_KEYS = ("answer_rate_pct", "service_level_pct", "abandon_rate_pct", "asa_s", "aht_s")
KPI_PHONE = Table("tbl_kpi_phone", "kpi_phone", "KPI总览", "KPI overview", "computed", KPI_CARDS.fields,
                  style="TableStyleMedium2", place=("tbl_kpi_cards", 15, 0))  # below the cards
# The on-site visits' card row (DOMAIN.md §4 on-site), below the phone line's, its header beside the department
# matrix's: fixed rows.
VISIT_KEYS = ("on_time_visit_pct", "median_visit_min", "first_visit_fix_pct")
KPI_VISITS = Table("tbl_kpi_visits", "kpi_visits", "KPI总览", "KPI overview", "computed", KPI_CARDS.fields,
                   style="TableStyleMedium2", place=("tbl_kpi_cards", 22, 0))
HEADLINE_KEYS = ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "nps", "complaint_rate_pct",
                 "qa_score_pct", "record_completeness_pct")  # the headline indicators, in the cards' row order:
# the matrices' colours rely on it.  Each matrix row carries its sample sizes: a rate over fewer than MIN_SAMPLE
# is greyed as 样本不足 (DOMAIN.md §4), by the tickets, the surveys (csat, nps) or the inspections (qa) behind it.
MIN_SAMPLE = 20
SAMPLE_FIELDS = (F("tickets", "工单数", "Tickets", "integer", width=7), F("surveys", "问卷数", "Surveys", "integer", width=7))
SAMPLE_OF = {"csat_pct": "surveys", "nps": "surveys", "qa_score_pct": "inspections"}  # else tickets
KPI_BY_CHANNEL = Table("tbl_kpi_channel", "kpi_channel", "KPI总览", "KPI overview", "computed", (
    F("group", "渠道", "Channel", width=10), *SAMPLE_FIELDS, *metric_fields(*HEADLINE_KEYS),
), style="TableStyleLight9", place=("tbl_kpi_cards", 27, 0))  # inspections carry no channel
KPI_BY_DEPARTMENT = Table("tbl_kpi_department", "kpi_department", "KPI总览", "KPI overview", "computed", (
    F("group", "责任部门", "Department", width=12), *SAMPLE_FIELDS, F("inspections", "质检数", "Inspections", "integer",
                                                                   width=7), *metric_fields(*HEADLINE_KEYS),
), style="TableStyleLight9", place=("tbl_kpi_cards", 37, 0))  # under the channel matrix, nothing below it
TOP_AGENTS = 5  # the best and the worst agents of the overview, by first-response SLA, among those with enough tickets
KPI_AGENTS = Table("tbl_kpi_agents", "kpi_agents", "KPI总览", "KPI overview", "computed", (
    F("rank", "排名", "Rank", width=8), F("agent", "处理人", "Agent", width=7),
    F("department", "责任部门", "Department", width=10), *(replace(f, width=6) for f in SAMPLE_FIELDS),
    *metric_fields("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct"),
), style="TableStyleLight9", place=("tbl_kpi_cards", 78, 13))  # under the heat map, always 2 × TOP_AGENTS rows
MONTHS = 13  # the monthly trend: this month and the twelve before it, a year-on-year view
MONTHLY_KEYS = ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct")
KPI_MONTHLY = Table("tbl_kpi_monthly", "kpi_monthly", "KPI总览", "KPI overview", "computed", (
    F("month", "月份", "Month", width=9), *metric_fields(*MONTHLY_KEYS), F("tickets", "工单量", "Tickets", "integer", width=8),
    # each indicator's target, drawn as a dashed line beside it
    *(F(f"target_{k}", f"{f.zh}目标", f"{f.en} target", "percent", width=8, hidden=True)
      for k, f in zip(MONTHLY_KEYS, metric_fields(*MONTHLY_KEYS))),
), style="TableStyleLight9", place=("tbl_kpi_cards", 51, 45))  # always MONTHS rows; not printed: its chart is

PARETO = Table("tbl_pareto", "pareto", "帕累托分析", "Pareto", "computed", (
    F("category", "问题类别", "Category", width=18), F("count", "数量", "Count", "integer", width=9),
    F("pct", "占比%", "Share %", "percent", width=9), F("cum_pct", "累计占比%", "Cumulative %", "percent", width=11),
    F("vital_few", "关键少数", "Vital few", "bool", width=9),
    # what the chart draws: the vital few's bars apart from the others', and the 80 % line
    F("vital_count", "关键少数数量", "Vital few count", "integer", width=11, hidden=True),
    F("other_count", "其他数量", "Other count", "integer", width=9, hidden=True),
    F("line_80", "80%参考线", "80% line", "percent", width=9, hidden=True),
), style="TableStyleMedium9", top=4)

PROBLEMS = Table("tbl_problems", "problems", "问题清单", "Problems", "worklist", (
    F("problem_id", "问题编号", "Problem ID", required=True, unique=True, width=10),
    F("description", "问题描述", "Description", required=True, width=32),
    F("source", "来源", "Source", "enum", enum=PROBLEM_SOURCE, width=10),
    F("metric", "影响指标", "Metric", width=18), F("scope", "影响范围", "Scope", width=14),
    F("frequency", "发生频率", "Frequency", "integer", minimum=1, maximum=5, width=9),
    F("impact", "影响程度", "Impact", "integer", minimum=1, maximum=5, width=9),
    F("priority", "优先级", "Priority", "integer", width=8),
    F("owner_department", "责任部门", "Owner department", width=14),
    F("status", "状态", "Status", "enum", enum=PROBLEM_STATUS, width=10, editable_by_department=True),
    F("created_at", "登记日期", "Logged on", "date", width=12),
    F("category", "问题类别", "Category", width=14),  # the Pareto category it came from, if any
    F("origin", "来源事件", "Origin", width=24),  # the alert incident it came from: opened once (§7)
    F("pdca_stage", "PDCA阶段", "PDCA stage", width=10),  # written by 检查计划
), id_field="problem_id")

# Good cases the team curates (亮点案例, DOMAIN.md §1, §2): the report's good typical cases come from here.
HIGHLIGHTS = Table("tbl_highlights", "highlights", "亮点案例", "Highlights", "worklist", (
    F("date", "日期", "Date", "date", required=True, width=12, aliases=("案例日期", "day")),
    F("channel", "渠道", "Channel", "enum", enum=CHANNEL, width=9, aliases=("来源渠道", "via")),
    F("department", "责任部门", "Department", width=14, aliases=("部门", "所属部门", "team")),
    F("agent", "处理人", "Agent", width=10, aliases=("坐席", "客服", "人员", "agent name")),
    F("ticket_id", "工单编号", "Ticket ID", width=14, aliases=("工单号", "ticket", "关联工单")),
    F("what", "经过", "What happened", required=True, width=40,
      aliases=("案例描述", "亮点", "描述", "事迹", "description", "case")),
    F("score", "评分", "Score", "number", width=7, aliases=("满意度评分", "得分", "rating")),
    F("comment", "客户评价", "Customer's words", width=30, aliases=("评价内容", "评价", "comment", "comments")),
    F("source", "来源", "Source", "enum", enum=HIGHLIGHT_SOURCE, width=10, aliases=("案例来源",)),
    F("lesson", "可复制的经验", "Lesson to copy", width=30, aliases=("经验", "做法", "lesson", "practice")),
), style="TableStyleMedium7")

ROOTCAUSE = Table("tbl_rootcause", "rootcause", "根因分析", "Root cause", "worklist", (
    F("problem_id", "问题编号", "Problem ID", required=True, width=10, references=("problems", "problem_id")),
    F("dimension", "6M维度", "6M dimension", "enum", enum=SIX_M, required=True, width=9),
    F("cause", "原因", "Cause", required=True, width=28),
    F("why1", "为什么1", "Why 1", width=18), F("why2", "为什么2", "Why 2", width=18),
    F("why3", "为什么3", "Why 3", width=18), F("why4", "为什么4", "Why 4", width=18),
    F("why5", "为什么5", "Why 5", width=18),
    F("verified", "已验证", "Verified", "bool", width=8, editable_by_department=True),
    F("verification_method", "验证方法", "Verification method", width=14),
    F("evidence", "验证证据", "Evidence", width=24, editable_by_department=True),
))

PLAN = Table("tbl_plan", "plan", "改进计划", "Plan", "worklist", (
    F("action_id", "措施编号", "Action ID", required=True, unique=True, width=10),
    F("problem_id", "问题编号", "Problem ID", required=True, width=10, references=("problems", "problem_id")),
    F("root_cause", "针对根因", "Root cause", width=20), F("measure", "改进措施", "Measure", required=True, width=30),
    F("owner", "负责人", "Owner", width=10), F("department", "责任部门", "Department", width=14),
    F("start", "开始日期", "Start", "date", width=12), F("deadline", "完成期限", "Deadline", "date", width=12),
    F("resources", "所需资源", "Resources", width=16), F("cost", "费用", "Cost", "number", width=10),
    F("risk", "风险与预案", "Risk and contingency", width=20),
    F("target_metric", "目标指标", "Target metric", width=18), F("baseline", "基线值", "Baseline", "number", width=9),
    F("goal", "目标值", "Goal", "number", width=9),
    F("approval", "审批", "Approval", "enum", enum=APPROVAL, width=9),
    F("progress_pct", "进度%", "Progress %", "percent", minimum=0, maximum=100, width=8, editable_by_department=True),
    F("status", "状态", "Status", "enum", enum=ACTION_STATUS, width=9, editable_by_department=True),
    F("completed_on", "实际完成日期", "Completed on", "date", width=12, editable_by_department=True),
    F("evidence", "完成证据", "Evidence", width=24, editable_by_department=True),
    # written by 效果验证: the metric before and after, and whether the goal was reached beyond noise
    F("effect_before", "改进前", "Before", "number", width=9), F("effect_after", "改进后", "After", "number", width=9),
    F("effect_p", "显著性", "Significance", width=9),  # p<0.001 or p=0.012, never 0.00
    F("effect_verified", "效果已验证", "Effect verified", "bool", width=9),
    # written by 检查计划 and 效果验证: what a manager reads on the sheet itself
    F("days_overdue", "逾期天数", "Days overdue", "integer", width=8),
    F("smart_missing", "SMART缺项", "SMART gaps", width=16),
    F("effect_result", "验证结论", "Verification result", width=44),
    # §10: what a department adds on return — a note, and a new deadline it asks for with its reason
    F("note", "说明", "Note", width=24, editable_by_department=True),
    F("extension_to", "申请延期至", "Extension to", "date", width=12, editable_by_department=True),
    F("extension_reason", "延期理由", "Extension reason", width=20, editable_by_department=True),
), id_field="action_id")

# 检查计划's summary beside the plan: each department's actions, done, overdue and done on time (§6)
PLAN_BY_DEPARTMENT = Table("tbl_plan_departments", "plan_departments", "改进计划", "Plan", "computed", (
    F("department", "责任部门", "Department", width=14), F("actions", "措施数", "Actions", "integer", width=8),
    F("done", "已完成", "Done", "integer", width=8), F("overdue", "已逾期", "Overdue", "integer", width=8),
    F("due", "已到期", "Due", "integer", width=8), F("on_time", "按期完成", "On time", "integer", width=8),
    F("done_on_time_pct", "按期完成率%", "Done on time %", "percent", width=10),
), style="TableStyleLight9", place=("tbl_plan", 1, len(PLAN.fields) + 1))


def _control_fields(key, zh, en, kind, width, short_zh, short_en) -> tuple[Field, ...]:
    """A control chart's four columns: the weekly value, its centre line and lower and upper limits."""
    return (F(key, zh, en, kind, width=width), F(f"{key}_centre", f"{short_zh}中心线", f"{short_en} centre", kind, width=9),
            F(f"{key}_lcl", f"{short_zh}下限", f"{short_en} LCL", kind, width=9),
            F(f"{key}_ucl", f"{short_zh}上限", f"{short_en} UCL", kind, width=9))


CONTROL = Table("tbl_control", "control", "异常预警", "Alerts", "computed", (
    F("week", "周(起始日)", "Week of", "date", width=12),
    *_control_fields("fr_sla", "首响达成率%", "1st-resp SLA %", "percent", 10, "达成率", "SLA"),
    *_control_fields("fr_min", "首响中位数(分钟)", "Median 1st resp (min)", "number", 11, "时长", "Time"),
    *_control_fields("res_sla", "解决达成率%", "Resolution SLA %", "percent", 10, "解决", "Res."),
    *_control_fields("csat", "满意度%", "CSAT %", "percent", 9, "满意度", "CSAT"),
    F("partial", "不完整周", "Partial week", "bool", width=8),  # drawn, never tested (§7)
), style="TableStyleLight9", top=4)
SIGNALS = Table("tbl_signals", "signals", "异常预警", "Alerts", "computed", (
    F("indicator", "指标", "Indicator", width=18), F("chart", "控制图", "Chart", width=7),
    F("week", "周(起始日)", "Week of", "date", width=12), F("value", "值", "Value", "number", width=8),
    F("centre", "中心线", "Centre", "number", width=8), F("lcl", "下控制限", "LCL", "number", width=8),
    F("ucl", "上控制限", "UCL", "number", width=8), F("rule", "规则", "Rule", width=14),
    F("incident", "事件编号", "Incident", "integer", width=8),
), style="TableStyleLight10", place=("tbl_control", 4, 19))
BREACHES = Table("tbl_breaches", "breaches", "异常预警", "Alerts", "computed", (
    F("ticket_id", "工单编号", "Ticket ID", width=16), F("department", "责任部门", "Department", width=12),
    F("kind", "超时类型", "Kind", width=10), F("late", "超时", "Late", "number", width=8),
    F("late_unit", "单位", "Unit", width=6),
), style="TableStyleLight11", place=("tbl_control", 4, 29))
# Improvements the control charts found (好转, 亮点): listed apart from the alerts, never a problem (§7)
BETTER = Table("tbl_better", "better", "异常预警", "Alerts", "computed", (
    F("indicator", "指标", "Indicator", width=18), F("week", "周(起始日)", "Week of", "date", width=12),
    F("value", "值", "Value", "number", width=8), F("centre", "中心线", "Centre", "number", width=8),
    F("incident", "事件编号", "Incident", "integer", width=8),
), style="TableStyleLight12", place=("tbl_control", 4, 35))

AUDIT = Table("tbl_audit", "audit", "抽样质检", "Audit", "worklist", (
    F("ticket_id", "工单编号", "Ticket ID", required=True, width=16),
    F("agent", "处理人", "Agent", width=10), F("department", "责任部门", "Department", width=12),
    F("channel", "渠道", "Channel", "enum", enum=CHANNEL, width=8),
    F("created_at", "创建时间", "Created at", "datetime", width=16),
    F("item", "检查项", "Item", required=True, width=16),
    F("max_score", "满分", "Max score", "number", above=0, width=7),
    F("critical", "关键项", "Critical", "bool", width=7),
    F("score", "得分", "Score", "number", minimum=0, at_most="max_score", width=7),  # the reviewer fills these
    F("reviewer", "质检员", "Reviewer", width=10),
    F("note", "备注", "Note", width=24),
    F("recorded", "已记入质检记录", "Recorded", "bool", width=9),
))

APPRAISAL = Table("tbl_appraisal", "appraisal", "季度考核", "Appraisal", "computed", (
    F("quarter", "季度", "Quarter", width=9), F("level", "对象类型", "Level", width=9),
    F("department", "部门", "Department", width=14), F("agent", "人员", "Agent", width=12),
    F("tickets", "工单量", "Tickets", "integer", width=8),
    *metric_fields("csat_pct", "first_response_sla_pct", "fcr_pct", "qa_score_pct", "rectification_pct",
                   "complaint_rate_pct"),
    F("deduction", "投诉扣分", "Deduction", "number", width=9), F("score", "综合得分", "Score", "number", width=9),
    F("grade", "等级", "Grade", width=8), F("rank", "部门内排名", "Rank in department", "integer", width=10),
), style="TableStyleMedium9", top=4)

# 操作日志 shows an action as its ribbon button and a result in words; the code reads both back as keys, and a
# book written before (keys stored as they are) reads the same, since an enum accepts its keys as well
LOG_ACTION = Enum("log_action", tuple((k, ZH_ACTIONS[k][0], EN_ACTIONS[k][0]) for k in ZH_ACTIONS))
LOG_RESULT = Enum("log_result", tuple((k, ZH_RESULTS[k], EN_RESULTS[k]) for k in ZH_RESULTS))

LOG = Table("tbl_log", "log", "操作日志", "Log", "log", (
    F("at", "时间", "At", "datetime", width=18), F("user", "操作人", "User", width=12),
    F("action", "操作", "Action", "enum", enum=LOG_ACTION, width=16), F("target", "对象", "Target", width=18),
    F("detail", "详情", "Detail", width=60), F("result", "结果", "Result", "enum", enum=LOG_RESULT, width=12),
    # a change merged from a department's returned workbook (回收汇总): who sent it, where, and what changed
    F("department", "部门", "Department", width=12), F("file", "文件", "File", width=24),
    F("row", "行(编号)", "Row (ID)", width=10), F("field", "字段", "Field", width=12),
    F("old", "原值", "Old", width=14), F("new", "新值", "New", width=14),
), style="TableStyleLight1")

# One row per workbook sent to a department (下发部门); 回收汇总 fills the last three columns.  The fingerprint is a
# hash of what the file's hidden sheet holds (each item's fingerprint and the values sent): a returned file whose
# hidden sheet was altered no longer matches it.
DISPATCH = Table("tbl_dispatch", "dispatch", "下发回收", "Distribution", "log", (
    F("batch", "批次", "Batch", width=14), F("master_id", "总表编号", "Master ID", width=16),
    F("department", "责任部门", "Department", width=14), F("file", "文件名", "File", width=30),
    F("sent_at", "下发时间", "Sent at", "datetime", width=17), F("deadline", "反馈期限", "Deadline", "date", width=12),
    F("items", "条目数", "Items", "integer", width=8), F("digest", "校验码", "Fingerprint", width=20),
    F("returned_at", "回收时间", "Returned at", "datetime", width=17), F("result", "回收结果", "Result", width=10),
    F("returned_file", "回收文件", "Returned file", width=30),
    F("to_confirm", "待确认", "To confirm", width=20),  # rows held for the quality team (§10)
), style="TableStyleLight1")

REJECTS = Table("tbl_rejects", "rejects", "导入错误", "Rejects", "log", (
    F("at", "导入时间", "Imported at", "datetime", width=18), F("table", "目标表", "Table", width=14),
    F("source", "来源文件", "Source file", width=24), F("row", "来源行号", "Source row", "integer", width=9),
    F("column", "列", "Column", width=16), F("value", "原值", "Value", width=20),
    F("reason", "原因", "Reason", width=50), F("record", "整行内容", "Row content", width=60),
), style="TableStyleLight1")

TABLES: tuple[Table, ...] = (STANDARDS, TICKETS, SURVEYS, INSPECTIONS, CALLS, KPI_CARDS, KPI_PHONE, KPI_VISITS, KPI_TREND, KPI_HEATMAP,
                             KPI_BY_CHANNEL, KPI_BY_DEPARTMENT, KPI_AGENTS, KPI_MONTHLY, KPI, PARETO, PROBLEMS, ROOTCAUSE, PLAN, PLAN_BY_DEPARTMENT,
                             CONTROL, SIGNALS, BREACHES, BETTER, AUDIT, APPRAISAL, DISPATCH, LOG, REJECTS, MAPPING, VALUE_MAPPING, SCORECARD, MONITOR_PLAN,
                             STAFF, RESPONSIBILITY, CALENDAR, FEEDBACK, HIGHLIGHTS)
BY_NAME = {t.name: t for t in TABLES}
BY_KEY = {t.key: t for t in TABLES}
INPUT_TABLES = tuple(t.key for t in TABLES if t.role == "input")
IMPORTABLE = INPUT_TABLES + ("problems", "rootcause", "plan", "staff", "responsibility", "calendar", "highlights")


def table(ref: str) -> Table:
    """A table by its key (``tickets``) or its Excel name (``tbl_tickets``)."""
    return BY_KEY.get(ref) or BY_NAME[ref]


# --------------------------------------------------------------------------- defaults of DOMAIN.md §4 and §9

SLA_DEFAULTS = {  # priority: (first response minutes, resolution hours)
    "urgent": (5, 4), "high": (10, 24), "normal": (10, 48), "low": (30, 72),
}
TARGET_DEFAULTS = (  # metric, direction, target
    ("first_response_sla_pct", "ge", 90), ("resolution_sla_pct", "ge", 90), ("fcr_pct", "ge", 75),
    ("csat_pct", "ge", 85), ("nps", "ge", 30), ("complaint_rate_pct", "le", 5),
    ("record_completeness_pct", "ge", 95), ("qa_score_pct", "ge", 85),
    # DOMAIN.md §4: complaints and the phone line
    ("complaint_first_response_sla_pct", "ge", 95), ("answer_rate_pct", "ge", 95), ("service_level_pct", "ge", 80),
    ("abandon_rate_pct", "le", 5), ("asa_s", "le", 30), ("on_time_visit_pct", "ge", 95), ("first_visit_fix_pct", "ge", 85),
    ("survey_response_pct", "ge", 20),
)
WARNING_BAND = 5


def warning_band(metric: str, target: float) -> float:
    """5 points for a percentage (and NPS); 10 % of the target for times and counts (DOMAIN.md §4)."""
    return float(WARNING_BAND) if metric.endswith("_pct") or metric == "nps" else round(0.1 * float(target), 2)
SETTING_DEFAULTS = (  # key, value
    ("qa_pass_mark", 80), ("appraisal_complaint_points_per_pct", 2), ("appraisal_complaint_cap", 20),
    ("appraisal_min_tickets", 30), ("appraisal_cap", 100), ("appraisal_raw", 0), ("appraisal_major_points", 5),
    ("grade_a", 90), ("grade_b", 80), ("grade_c", 70),
    ("audit_sample_pct", 10), ("audit_min_per_agent", 3), ("utc_offset_h", 8), ("date_day_first", 0),
    # DOMAIN.md §4: short abandons, the service-level target, complaint targets, the on-site visit's grace
    ("short_abandon_s", 0), ("service_level_s", 30), ("complaint_first_response_min", 120),
    ("complaint_resolution_days", 3), ("visit_grace_min", 15),
)  # settings that are not numbers (SLA clock, working hours and days, names) are declared in pyaddin/settings.py
CONSEQUENCE_DEFAULTS = (  # grade, bonus coefficient, what else follows: the team sets its own
    ("A", 1.2, "季度表彰", "Quarterly award"), ("B", 1.0, None, None), ("C", 0.9, "绩效面谈", "Performance talk"),
    ("D", 0.8, "强制培训与复训考核", "Compulsory training and retest"))
WEIGHT_DEFAULTS = (("csat_pct", 30), ("first_response_sla_pct", 20), ("fcr_pct", 20), ("qa_score_pct", 20),
                   ("rectification_pct", 10))  # a department's
AGENT_WEIGHT_PREFIX = "agent_"  # an agent's weight rows: agent_csat_pct …; rectification is the department's alone
AGENT_WEIGHT_DEFAULTS = (("csat_pct", 30), ("first_response_sla_pct", 20), ("fcr_pct", 20), ("qa_score_pct", 30))


def dropdown_lists(lang: str) -> dict[str, list[str]]:
    """The lists the mapping tables' dropdowns offer, in the workbook's language."""
    inputs = [table(k) for k in INPUT_TABLES]
    fields, coded, vals = [], [], []
    for t in inputs:
        for f in (*t.fields, *t.derived):
            if f.label(lang) not in fields:
                fields.append(f.label(lang))
            if (f.enum is not None or f.type == "bool") and f.label(lang) not in coded:
                coded.append(f.label(lang))
                for v in (f.enum.labels(lang) if f.enum is not None else BOOL_LABELS[lang]):
                    if v not in vals:
                        vals.append(v)
    fields.append(IGNORE_LABELS[lang])  # a column set aside (DOMAIN.md §3)
    return {"tables": [t.sheet(lang) for t in inputs], "fields": fields, "coded_fields": coded, "values": vals}


SCORECARD_DEFAULTS = (  # item, max score, critical, what to look for (the sample checklist; a team sets its own)
    ("礼貌用语", "Courtesy", 10, False, "问候、致谢、称呼规范", "Greeting, thanks, forms of address"),
    ("问题确认", "Problem confirmed", 20, False, "复述并确认客户诉求", "Restates and confirms the request"),
    ("解决方案", "Solution", 30, False, "方案正确、完整、可执行", "Correct, complete, workable"),
    ("记录完整", "Complete record", 20, False, "类别、处理记录填写完整", "Category and notes filled in"),
    ("信息安全", "Data security", 20, True, "不泄露客户隐私(关键项:不合格则本次质检为0分)",
     "No customer data disclosed (critical: a failure scores the inspection 0)"),
)
MONITOR_PLAN_DEFAULTS = (  # indicator key, target, frequency, method, note (zh, en)
    ("first_response_sla_pct", 90, "daily", "system", "每日看板", "Daily dashboard"),
    ("complaint_rate_pct", 5, "weekly", "system", "每周例会通报", "Weekly meeting"),
    ("qa_score_pct", 85, "weekly", "ticket_audit", "每周抽查10%工单", "Audit 10% of tickets weekly"),
    ("csat_pct", 85, "monthly", "survey", "月度满意度回访", "Monthly satisfaction survey"),
)
