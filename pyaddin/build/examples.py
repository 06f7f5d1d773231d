"""The seeds' logistics case (物流咨询响应慢), as a worked example: the templates show it on a sheet of its
own, and the sample data's root causes and plan are the same case."""
from __future__ import annotations

PROBLEM = {
    "zh": {"problem_id": "P001", "description": "物流咨询首次响应超过5分钟的占35%,该类投诉占投诉总量的42%",
           "source": "pareto", "metric": "首次响应SLA达成率%", "scope": "客服中心、夜间时段", "frequency": 5,
           "impact": 4, "priority": 20, "owner_department": "客服中心", "status": "improving",
           "created_at": "2026-07-20", "category": "物流延迟"},
    "en": {"problem_id": "P001", "description": "35% of logistics queries wait over 5 minutes for a first reply; "
                                                "they make 42% of all complaints",
           "source": "pareto", "metric": "First-response SLA %", "scope": "Service centre, night shift",
           "frequency": 5, "impact": 4, "priority": 20, "owner_department": "Service centre", "status": "improving",
           "created_at": "2026-07-20", "category": "Late delivery"},
}
CAUSES = {  # (dimension, cause, why 1…5, verified, method, evidence)
    "zh": [
        ("man", "夜间物流咨询人力不足", "为什么夜间响应慢?夜间客服只有1人", "为什么只有1人?排班表未考虑夜间物流咨询高峰",
         "为什么未考虑?历史数据未统计夜间咨询量分布", "为什么未统计?缺乏分时段数据监控机制", None, True, "数据验证",
         "物流类首次响应中位数9分钟,其他类4分钟;夜间客服1人"),
        ("machine", "物流信息查询入口隐藏", "为什么查询慢?需切换三个系统", None, None, None, None, True, "流程复盘",
         "模拟夜间咨询,平均查询耗时6分钟"),
        ("material", "物流更新数据延迟", "为什么延迟?承运商每日同步一次", None, None, None, None, False, "访谈", None),
        ("method", "物流咨询流程未明确优先级", "为什么没有优先级?流程按来电先后处理", None, None, None, None, False, None, None),
        ("environment", "多任务处理干扰", None, None, None, None, None, False, None, None),
        ("measurement", "未设置响应时长实时预警", "为什么没有预警?监控只看日报", None, None, None, None, True, "数据验证",
         "超时工单平均3小时后才被发现"),
    ],
    "en": [
        ("man", "Too few staff for logistics queries at night", "Why slow at night? One agent on the night shift",
         "Why one? The rota ignores the night peak of logistics queries", "Why ignored? Night volumes were never counted",
         "Why not counted? No monitoring by time of day", None, True, "Data check",
         "Median first reply 9 min for logistics, 4 min for others; one night agent"),
        ("machine", "Parcel tracking is hidden in the agent desktop", "Why slow? Three systems to switch", None, None,
         None, None, True, "Process walk-through", "Simulated night query: 6 minutes to find the parcel"),
        ("material", "Carrier tracking data arrive late", "Why late? Carriers sync once a day", None, None, None, None,
         False, "Interview", None),
        ("method", "No priority for logistics queries", "Why? Queries are answered in order of arrival", None, None, None,
         None, False, None, None),
        ("environment", "Agents juggle several chats", None, None, None, None, None, False, None, None),
        ("measurement", "No real-time alert on response time", "Why? Only a daily report is read", None, None, None,
         None, True, "Data check", "Late tickets were noticed 3 hours later on average"),
    ],
}
ACTIONS = {  # action, root cause, measure, owner, department, start, deadline, resources, cost, risk, metric,
             # baseline, goal, approval, progress, status, completed on, evidence
    "zh": [
        ("A001", "夜间物流咨询人力不足", "优化排班,20:00-24:00增加客服1名", "小丽", "客服中心", "2026-08-01", "2026-08-14",
         "夜班客服1名", 8000, "新人不熟悉物流系统:上岗前专题培训", "首次响应SLA达成率%", 62, 85, "approved", 100, "done",
         "2026-08-14", "新排班表已执行"),
        ("A002", "物流信息查询入口隐藏", "客服系统首页添加“物流咨询快捷入口”", "张工", "技术部", "2026-08-10", "2026-09-05",
         "开发5人日", 0, "上线后客服不熟悉操作:操作指引文档", "首次响应SLA达成率%", 62, 90, "approved", 60,
         "in_progress", None, None),
        ("A003", "未设置响应时长实时预警", "整理《物流异常处理手册》,组织培训并考核", "王经理", "客服中心", "2026-09-01",
         "2026-10-10", "培训2场", 0, None, "首次响应SLA达成率%", 62, 90, "approved", 40, "in_progress", None, None),
    ],
    "en": [
        ("A001", "Too few staff for logistics queries at night", "Add one agent 20:00–24:00 and rework the rota",
         "Li", "Service centre", "2026-08-01", "2026-08-14", "One night agent", 8000,
         "New agent unfamiliar with tracking: training before the first shift", "First-response SLA %", 62, 85,
         "approved", 100, "done", "2026-08-14", "New rota in force"),
        ("A002", "Parcel tracking is hidden in the agent desktop", "Add a logistics shortcut to the desktop's home page",
         "Zhang", "IT", "2026-08-10", "2026-09-05", "5 developer days", 0, "Agents unfamiliar: a how-to sheet",
         "First-response SLA %", 62, 90, "approved", 60, "in_progress", None, None),
        ("A003", "No real-time alert on response time", "Write a logistics exceptions handbook, train and test agents",
         "Wang", "Service centre", "2026-09-01", "2026-10-10", "Two sessions", 0, None, "First-response SLA %", 62, 90,
         "approved", 40, "in_progress", None, None),
    ],
}
ACTION_FIELDS = ("action_id", "root_cause", "measure", "owner", "department", "start", "deadline", "resources", "cost",
                 "risk", "target_metric", "baseline", "goal", "approval", "progress_pct", "status", "completed_on",
                 "evidence")
CAUSE_FIELDS = ("dimension", "cause", "why1", "why2", "why3", "why4", "why5", "verified", "verification_method",
                "evidence")


# The coming year's national holidays and make-up working days (调休) as the State Council usually sets them: an
# example for 工作日历 that the team checks against the year's official notice (国务院办公厅通知) and edits.
_HOLIDAYS_2027 = (  # (first day, last day, zh, en)
    ("2027-01-01", "2027-01-03", "元旦", "New Year's Day"), ("2027-02-05", "2027-02-13", "春节", "Spring Festival"),
    ("2027-04-03", "2027-04-05", "清明节", "Qingming Festival"), ("2027-05-01", "2027-05-05", "劳动节", "Labour Day"),
    ("2027-06-09", "2027-06-09", "端午节", "Dragon Boat Festival"),
    ("2027-09-15", "2027-09-15", "中秋节", "Mid-Autumn Festival"),
    ("2027-10-01", "2027-10-07", "国庆节", "National Day"),
)
_WORKDAYS_2027 = (("2027-02-20", "春节", "Spring Festival"), ("2027-04-25", "劳动节", "Labour Day"),
                  ("2027-05-08", "劳动节", "Labour Day"), ("2027-09-26", "国庆节", "National Day"),
                  ("2027-10-09", "国庆节", "National Day"))


def calendar_days() -> list[tuple]:
    """(date, kind, zh note, en note) for every day of the example, in date order."""
    import datetime as dt

    rows = []
    for first, last, zh, en in _HOLIDAYS_2027:
        day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        while day <= end:
            rows.append((day, "holiday", f"{zh}放假(示例,以国务院办公厅通知为准)",
                         f"{en} (example: check the official notice)"))
            day += dt.timedelta(days=1)
    rows += [(dt.date.fromisoformat(d), "workday", f"{zh}调休上班(示例)", f"{en} make-up working day (example)")
             for d, zh, en in _WORKDAYS_2027]
    return sorted(rows)
