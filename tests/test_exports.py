"""Real exports as they come (issue 8): each vendor's documented format, the Chinese systems' forms,
dates of every kind, header and value mapping, honest gaps and the error summary.

The fixtures are made here in each vendor's format: their column names are those of the
vendors' documented exports, their values the words and date forms those exports write.
"""
import csv
import json

import openpyxl
import pandas as pd
import pytest

from conftest import write_csv
from pyaddin.book import FileBook
from pyaddin.schema import MAPPING, TICKETS, VALUE_MAPPING

VENDORS = {
    "zendesk": ("Zendesk (ticket CSV export)",
                "Id,Requester,Requester id,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,Created at,"
                "Updated at,Assigned at,Solved at,Satisfaction Score,Reopens,Replies,First reply time in minutes,"
                "Full resolution time in minutes\n"
                "1001,Ann,55,Li Wei,客服中心,Late parcel,delivery,solved,urgent,Web form,incident,"
                "2026-09-01 02:00:00 +0000,2026-09-01 04:00:00 +0000,2026-09-01 02:01:00 +0000,"
                "2026-09-01 04:00:00 +0000,Good,0,1,4,120\n",
                {"ticket_id": "1001", "channel": "other", "priority": "urgent", "department": "客服中心",
                 "created_at": "2026-09-01 10:00", "first_response_at": "2026-09-01 10:04",
                 "resolved_at": "2026-09-01 12:00", "reopened": False}),
    "explore": ("Zendesk Explore",
                "Ticket ID,Ticket created - Timestamp,Ticket solved - Timestamp,Ticket group,Assignee name,"
                "Ticket channel,Ticket priority,Ticket status,First reply time (min),Full resolution time (min),Tickets\n"
                "2001,2026-09-03T08:05:00+08:00,2026-09-03T10:05:00+08:00,售后服务部,Wang,Chat,High,Solved,6.5,120,1\n",
                {"ticket_id": "2001", "channel": "chat", "priority": "high", "created_at": "2026-09-03 08:05",
                 "first_response_at": "2026-09-03 08:11:30", "resolved_at": "2026-09-03 10:05"}),
    "freshdesk": ("Freshdesk (ticket export)",
                  "Ticket ID,Subject,Status,Priority,Source,Type,Agent,Group,Created time,Due by Time,Resolved time,"
                  "Closed time,Last update time,Initial response time,First response time (in hrs),"
                  "Resolution time (in hrs),Agent interactions,Customer interactions,Tags\n"
                  "3001,Refund,Closed,Medium,Portal,Refund,Zhao,线上客服组,2024-10-30 15:15:11,2024-11-01 15:15:11,"
                  "2024-10-30 18:15:11,2024-10-30 18:20:00,2024-10-30 15:25:11,,0.17,3.0,2,1,refund\n",
                  {"ticket_id": "3001", "channel": "other", "priority": "normal", "category": "Refund",
                   "created_at": "2024-10-30 15:15:11", "first_response_at": "2024-10-30 15:25:23",
                   "resolved_at": "2024-10-30 18:15:11", "contacts": 1}),
    "servicenow": ("ServiceNow (incident list)",
                   "Number,Opened,Short description,Caller,Priority,Urgency,State,Category,Assignment group,"
                   "Assigned to,Updated,Resolved,Closed,Contact type,Reopen count,Close notes\n"
                   "INC0010001,2024-10-30 15:15:11.744884,Email down,Abel Tuter,1 - Critical,3 - Low,Resolved,Network,"
                   "Service Desk,Beth Anglin,2024-10-30 16:00:00,2024-10-30 17:15:11,,Self-service,1,Restarted\n",
                   {"ticket_id": "INC0010001", "priority": "urgent", "channel": "other", "category": "Network",
                    "department": "Service Desk", "agent": "Beth Anglin", "reopened": True,
                    "created_at": "2024-10-30 15:15:11.745", "resolution_note": "Restarted"}),
    "jsm": ("Jira Service Management (issue CSV)",
            "Summary,Issue key,Issue id,Issue Type,Status,Priority,Resolution,Assignee,Reporter,Created,Updated,Resolved,"
            "Custom field (Customer Request Type),Component/s\n"
            "Cannot log in,HELP-12,10012,Service Request,Done,Highest,Done,Chen,Kim,24/Oct/24 3:15 PM,"
            "24/Oct/24 4:00 PM,24/Oct/24 5:30 PM,Get IT help,IT Support\n",
            {"ticket_id": "HELP-12", "priority": "urgent", "category": "Get IT help", "department": "IT Support",
             "created_at": "2024-10-24 15:15", "resolved_at": "2024-10-24 17:30"}),
    "salesforce": ("Salesforce Service Cloud (case report)",
                   "Case Number,Subject,Status,Priority,Case Origin,Case Owner,Case Owner Role,Date/Time Opened,"
                   "Date/Time Closed,Case Reason,Account Name\n"
                   "00001026,Billing question,Closed,Medium,Web,Sun Li,Billing Team,9/3/2026 3:05 PM,9/4/2026 9:00 AM,"
                   "Billing,Acme\n",
                   {"ticket_id": "00001026", "priority": "normal", "channel": "other", "department": "Billing Team",
                    "category": "Billing", "created_at": "2026-09-03 15:05", "resolved_at": "2026-09-04 09:00"}),
    # the field or API names of the same systems' CSV, API and data-loader exports
    "servicenow_fields": ("ServiceNow (list CSV, field names)",
                          "number,short_description,caller_id,opened_at,sys_created_on,priority,state,incident_state,"
                          "category,assignment_group,assigned_to,contact_type,resolved_at,closed_at,reopen_count,"
                          "close_notes\n"
                          "INC0010002,VPN down,Abel Tuter,2024-10-30 15:15:11,2024-10-30 15:15:11,2 - High,Closed,Closed,"
                          "Network,Service Desk,Beth Anglin,phone,2024-10-30 17:15:11,2024-11-02 17:15:11,0,Restarted\n",
                          {"ticket_id": "INC0010002", "priority": "high", "channel": "phone", "status": "closed",
                           "department": "Service Desk", "agent": "Beth Anglin", "reopened": False,
                           "created_at": "2024-10-30 15:15:11", "resolved_at": "2024-10-30 17:15:11",
                           "resolution_note": "Restarted"}),
    "salesforce_api": ("Salesforce Service Cloud (Case API names)",
                       "Id,CaseNumber,CreatedDate,Origin,Priority,Reason,Type,Status,IsClosed,ClosedDate,OwnerId,"
                       "Owner.Name,Owner.UserRole.Name,Subject\n"
                       "5003000000D8cuIAAR,00001027,2026-09-03T07:05:00.000+0000,Phone,High,Billing,Problem,Closed,"
                       "true,2026-09-03T09:00:00.000+0000,0053000000AbCdEAAZ,Sun Li,Billing Team,Invoice\n",
                       {"ticket_id": "00001027", "priority": "high", "channel": "phone", "status": "closed",
                        "category": "Billing", "agent": "Sun Li", "department": "Billing Team",
                        "created_at": "2026-09-03 15:05", "resolved_at": "2026-09-03 17:00"}),
    "zendesk_api": ("Zendesk (API field names)",
                    "id,created_at,via,group,assignee,priority,status,solved_at,type,subject\n"
                    "35436,2026-09-01T02:00:00Z,web,Support,Li Wei,high,solved,2026-09-01T05:00:00Z,question,Help\n",
                    {"ticket_id": "35436", "channel": "other", "priority": "high", "status": "solved",
                     "department": "Support", "agent": "Li Wei", "category": "question",
                     "created_at": "2026-09-01 10:00", "resolved_at": "2026-09-01 13:00"}),
    "freshdesk_api": ("Freshdesk (API field names)",
                      "id,created_at,source,group,responder,priority,status,type,subject\n"
                      "20,2026-09-01T02:00:00Z,3,Billing,Zhao,4,5,Refund,Money back\n",
                      {"ticket_id": "20", "channel": "phone", "priority": "urgent", "status": "closed",
                       "department": "Billing", "agent": "Zhao", "category": "Refund",
                       "created_at": "2026-09-01 10:00"}),
}


def ticket(book, n=0):
    with FileBook(book) as b:
        return b.read(TICKETS).data.iloc[n]


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_each_vendors_export_imports_as_it_comes(vendor, book, runner, cli, tmp_path):
    name, text, expected = VENDORS[vendor]
    src = write_csv(tmp_path / f"{vendor}.csv", text, "utf-8")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    assert f"已识别为 {name} 导出格式" in r.output
    row = ticket(book)
    for key, value in expected.items():
        got = row[key]
        if key.endswith("_at"):
            assert got == pd.Timestamp(value), (key, got)
        elif isinstance(value, bool):
            assert bool(got) is value, key
        else:
            assert got == value, (key, got)


def test_a_chinese_system_export_under_a_title_with_a_totals_row(book, runner, cli, tmp_path):
    p = tmp_path / "导出.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本文件由工单系统导出"
    ws = wb.create_sheet("工单明细")
    ws.append(["客服中心工单明细(2026年9月)"])
    ws.append([])
    ws.append(["工单号", "受理时间", "受理渠道", "处理部门", "坐席", "紧急程度", "诉求类型", "首响时间", "办结时间"])
    ws.append(["G1", "2026-09-03 下午 3:05", "微信", "客服中心", "张三", "一般", "物流", "2026-09-03 下午 3:09",
               "2026年9月3日 16:00"])
    ws.append(["G2", "2026-09-04 上午 9:00", "400热线", "客服中心", "李四", "特急", "质量", None, None])
    ws.append(["合计", None, None, None, None, None, None, None, None])
    wb.save(p)
    r = runner.invoke(cli, ["import", str(book), str(p), "--into", "tickets", "--sheet", "工单明细"])
    assert r.exit_code == 0, r.output
    assert "表头在导出.xlsx[工单明细]第3行" in r.output and "第6行是合计行" in r.output
    with FileBook(book) as b:
        d = b.read(TICKETS).data
    assert list(d["ticket_id"]) == ["G1", "G2"]
    assert d["created_at"].tolist() == [pd.Timestamp("2026-09-03 15:05"), pd.Timestamp("2026-09-04 09:00")]
    assert d["channel"].tolist() == ["social", "phone"] and d["priority"].tolist() == ["normal", "urgent"]
    r = runner.invoke(cli, ["import", str(book), str(p), "--into", "tickets", "--sheet", "9"])
    assert r.exit_code == 2 and "没有工作表“9”" in r.output and "工单明细" in r.output


DATE_FORMS = [  # (as written, what it is in the workbook's time zone, UTC+8; to the millisecond, as Excel keeps it)
    ("2024-10-30 15:15:11.744884", "2024-10-30 15:15:11.745"),
    ("2024-10-30T15:15:11Z", "2024-10-30 23:15:11"),
    ("2024-10-30T15:15:11+02:00", "2024-10-30 21:15:11"),
    ("2026/9/3 8:05", "2026-09-03 08:05"),
    ("2026年9月3日 08:05", "2026-09-03 08:05"),
    ("2026-09-03 下午 3:05", "2026-09-03 15:05"),
    ("9/3/2026 3:05 PM", "2026-09-03 15:05"),
    ("Sep 3, 2026", "2026-09-03"),
    ("03.09.2026", "2026-09-03"),
    ("46268.5", "2026-09-03 12:00"),
]


@pytest.mark.parametrize("written,meant", DATE_FORMS)
def test_every_date_form(written, meant, book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "d.csv", f'工单编号,创建时间,责任部门\nT1,"{written}",客服中心\n')
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    assert ticket(book)["created_at"] == pd.Timestamp(meant)


def test_day_month_order_is_inferred_per_column_and_said(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "d.csv", "工单编号,创建时间,解决时间,责任部门\n"
                                        "T1,29-02-2016 01:16,03/05/2016 10:00,客服中心\nT2,01-03-2016 09:00,04/05/2016 10:00,客服中心\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    assert "列“创建时间”的日期按日/月/年读取:值“29-02-2016 01:16”只能这样读" in r.output
    assert "列“解决时间”的日期无法从数据判断日月顺序" in r.output and "月/日/年" in r.output
    with FileBook(book) as b:
        d = b.read(TICKETS).data
    assert d["created_at"].tolist() == [pd.Timestamp("2016-02-29 01:16"), pd.Timestamp("2016-03-01 09:00")]
    assert d["resolved_at"].tolist() == [pd.Timestamp("2016-03-05 10:00"), pd.Timestamp("2016-04-05 10:00")]
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--replace", "--date-order", "dmy"])
    assert r.exit_code == 0
    assert ticket(book)["resolved_at"] == pd.Timestamp("2016-05-03 10:00")


def test_a_bare_number_is_a_date_only_between_1990_and_2100(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "d.csv", "工单编号,创建时间,责任部门\nT1,12,客服中心\nT2,1698675311,客服中心\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1 and "第2行“12”" in r.output and "第3行“1698675311”" in r.output


def test_a_users_mapping_wins_and_a_fields_own_name_beats_an_alias(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "s.csv", "Number,Opened,Short description,Priority,Urgency,Assignment group,Team\n"
                                        "INC1,2026-09-01 08:00,VPN,1 - Critical,3 - Low,Service Desk,二线支持\n", "utf-8")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    assert ticket(book)["priority"] == "urgent"  # Priority, not the alias Urgency
    assert "“优先级”取自列“Priority”,列“Urgency”也可对应此字段" in r.output
    assert ticket(book)["department"] == "Service Desk"
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--replace",
                            "--map", "Team=责任部门", "--map", "Urgency=Priority"])
    assert r.exit_code == 0, r.output
    row = ticket(book)
    assert row["department"] == "二线支持" and row["priority"] == "low"
    with FileBook(book) as b:  # saved, in the workbook's own words, so that the next import needs nothing
        m = b.read(MAPPING).data
    assert sorted(zip(m["source_header"], m["field"])) == [("Team", "责任部门"), ("Urgency", "优先级")]
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--replace"])
    assert r.exit_code == 0 and ticket(book)["department"] == "二线支持"


def test_unknown_values_are_listed_for_the_user_and_a_value_mapping_fixes_them(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "v.csv", "工单编号,创建时间,渠道,责任部门\nT1,2026-09-01 08:00,企业微信,客服中心\n"
                                        "T2,2026-09-01 09:00,企业微信,客服中心\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1 and "已列入“字段映射”表" in r.output
    with FileBook(book) as b:
        vm = b.read(VALUE_MAPPING).data
        assert b.read(TICKETS).data.empty
    assert list(zip(vm["field"], vm["source_value"])) == [("渠道", "企业微信")]
    # the user picks 社交媒体 from the dropdown (here, as the command line would say it)
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--value", "渠道:企业微信=社交媒体"])
    assert r.exit_code == 0, r.output
    assert ticket(book)["channel"] == "social"
    with FileBook(book) as b:
        vm = b.read(VALUE_MAPPING).data
    assert list(zip(vm["field"], vm["source_value"], vm["value"])) == [("渠道", "企业微信", "社交媒体")]


def test_check_reports_mapping_rows_that_name_nothing(book, runner, cli):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["字段映射"]
    ws["A2"], ws["B2"], ws["C2"] = "工单数据", "Team", "部门名称"
    ws["A3"], ws["B3"], ws["C3"] = "工单数据", "team", "Department"
    ws.tables["tbl_mapping"].ref = "A1:C3"
    wb.save(book)
    r = runner.invoke(cli, ["check", str(book)])
    assert r.exit_code == 1 and "“部门名称”" in r.output and "不是该表的字段" in r.output
    assert "编号重复(与第2行相同)" in r.output


def test_a_missing_column_is_one_line_in_the_users_language(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "m.csv", "Ref,When,Unit\nT1,2026-09-01 08:00,Desk\n", "utf-8")
    r = runner.invoke(cli, ["--lang", "en", "import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1
    lines = [x for x in r.output.splitlines() if "is missing" in x]
    assert len(lines) == 3 and "“Created at”" in lines[1] and "Ref, When, Unit" in lines[1] and "row 1 of m.csv" in lines[1]
    assert "缺少" not in r.output  # one language
    with FileBook(book) as b:  # the unplaced headers wait in the mapping table for the user to pick their fields
        m = b.read(MAPPING).data
    assert sorted(m["source_header"]) == ["Ref", "Unit", "When"] and m["field"].isna().all()


def test_the_error_summary_stays_short_and_the_full_list_goes_to_a_file(book, runner, cli, tmp_path):
    rows = "".join(f"T{i},昨天{i},客服中心,{'x' if i % 2 else ''},{i % 7 - 3}\n" for i in range(600))
    src = write_csv(tmp_path / "e.csv", "工单编号,创建时间,责任部门,是否投诉,联系次数\n" + rows)
    errors = tmp_path / "errors.csv"
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--errors", str(errors)])
    assert r.exit_code == 1
    assert len(r.output.splitlines()) <= 40
    assert "共600处" in r.output and "--errors" in r.output
    with open(errors, encoding="utf-8-sig") as f:
        got = list(csv.reader(f))
    assert got[0] == ["来源", "行", "列", "原值", "原因"]
    assert len(got) - 1 == 600 + 300 + sum(1 for i in range(600) if i % 7 - 3 < 1)


def test_honest_gaps_what_was_never_supplied_is_empty(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "g.csv", "工单编号,创建时间,责任部门,处理人,解决时间\n"
                                        "T1,2026-09-01 08:00,客服中心,王伟,2026-09-01 09:00\n"
                                        "T2,2026-09-02 08:00,客服中心,,2026-09-02 20:00\n")
    assert runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["kpi", str(book), "--json"])
    d = json.loads(r.output)
    o = d["overall"]
    for m in ("first_response_sla_pct", "median_first_response_min", "fcr_pct", "reopen_rate_pct",
              "complaint_rate_pct", "record_completeness_pct", "csat_pct", "nps"):
        assert o[m] is None, m
    assert o["resolution_sla_pct"] == 100.0 and o["tickets"] == 2
    assert set(d["by_agent"]) == {"王伟", "未分配"} and d["by_agent"]["未分配"]["tickets"] == 1
    with FileBook(book) as b:
        k = b.read(__import__("pyaddin.schema", fromlist=["KPI"]).KPI).data
        heat = b.read(__import__("pyaddin.schema", fromlist=["KPI_HEATMAP"]).KPI_HEATMAP).data
    fr = k[(k["scope"] == "总体") & (k["metric"] == "first_response_sla_pct")].iloc[0]
    assert pd.isna(fr["value"]) and fr["status"] == "无数据"
    assert heat[[c for c in heat.columns if c.startswith("sla_")]].isna().all().all()


def test_periods(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "p.csv", "工单编号,创建时间,责任部门\nT1,2026-08-20 08:00,客服中心\nT2,2026-09-10 08:00,客服中心\n")
    assert runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["kpi", str(book), "--json"])
    assert json.loads(r.output)["period"]["start"] == "2026-09-01"  # the last month that holds tickets
    before = book.read_bytes()
    r = runner.invoke(cli, ["kpi", str(book), "--period", "2026-10"])
    assert r.exit_code == 1 and "没有工单" in r.output and book.read_bytes() == before
    r = runner.invoke(cli, ["kpi", str(book), "--from", "2026-09-30", "--to", "2026-09-01"])
    assert r.exit_code == 2 and "晚于结束日" in r.output
    r = runner.invoke(cli, ["kpi", str(book), "--as-of", "next tuesday"])
    assert r.exit_code == 2 and "截止时点“next tuesday”" in r.output


def test_resolution_metrics_are_empty_without_resolution_times(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "r.csv", "工单编号,创建时间,责任部门,首次响应时间\nT1,2026-09-01 08:00,客服中心,2026-09-01 08:03\n")
    assert runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"]).exit_code == 0
    o = json.loads(runner.invoke(cli, ["kpi", str(book), "--json"]).output)["overall"]
    assert o["resolution_sla_pct"] is None and o["median_resolution_h"] is None
    assert o["first_response_sla_pct"] == 100.0


def test_the_language_follows_the_workbook_unless_asked(tmp_path, runner, cli, monkeypatch):
    en = tmp_path / "en.xlsm"
    assert runner.invoke(cli, ["new", str(en), "--lang", "en"]).exit_code == 0
    src = write_csv(tmp_path / "x.csv", "Ticket ID,Created at,Department\nT1,yesterday,Desk\n", "utf-8")
    r = runner.invoke(cli, ["import", str(en), str(src), "--into", "tickets"])
    assert r.exit_code == 1 and "not a date and time that can be read" in r.output and "无法" not in r.output
    monkeypatch.setenv("QUALITYBOOK_LANG", "zh")
    r = runner.invoke(cli, ["import", str(en), str(src), "--into", "tickets"])
    assert r.exit_code == 1 and "无法识别的日期时间" in r.output


def test_the_ribbon_lists_unknown_values_for_the_user_to_pick(book, tmp_path, monkeypatch):
    import xlwings as xw

    from pyaddin.excel import run_action
    from xlstandin import Book

    src = write_csv(tmp_path / "v.csv", "工单编号,创建时间,渠道,责任部门\nT1,2026-09-01 08:00,企业微信,客服中心\n")
    xl = Book.from_file(book)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: xl))
    xl.app.api.opened = [str(src)]
    assert run_action("import_tickets") == 1
    assert "已列入“字段映射”表" in xl.app.alerts[-1][1] and "--" not in xl.app.alerts[-1][1]
    sheet = xl.sheet("字段映射")
    assert (2, 5) in sheet.cells and sheet.cells[(2, 5)] == "渠道" and sheet.cells[(2, 6)] == "企业微信"
    sheet.cells[(2, 7)] = "社交媒体"  # the user picks from the dropdown, then imports again
    xl.app.api.opened = [str(src)]
    assert run_action("import_tickets") == 0
    assert xl.sheet("工单数据").cells[(2, 3)] == "社交媒体"


def test_a_footer_after_a_blank_line_is_not_data(book, runner, cli, tmp_path):
    rows = "".join(f"T{i},2026-09-0{i} 08:00,客服中心\n" for i in range(1, 8))
    src = write_csv(tmp_path / "f.csv", "工单编号,创建时间,责任部门\n" + rows + ",,\n导出人:张三,,\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    assert "第10行位于末尾空行之后" in r.output and "已导入7行" in r.output
