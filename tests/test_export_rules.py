"""The rules of DOMAIN.md §3 that keep an export from giving wrong numbers without a word (issue 16):
which id is the ticket number, what a status says, placeholders for "none", a book without tickets."""
import json

import pandas as pd
import pytest

from conftest import write_csv
from pyaddin.book import FileBook
from pyaddin.schema import TICKETS


def imported(runner, cli, book, path, *args, code=0):
    r = runner.invoke(cli, ["import", str(book), str(path), "--into", "tickets", *args])
    assert r.exit_code == code, r.output
    return r.output


def tickets(book):
    with FileBook(book) as b:
        return b.read(TICKETS).data


def kpi(runner, cli, book, *args):
    r = runner.invoke(cli, ["kpi", str(book), "--json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_a_salesforce_record_id_is_never_the_ticket_number(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "cases.csv",
                    "Id,CaseNumber,CreatedDate,Origin,Priority,Status,IsClosed,ClosedDate,Owner.Name,Department__c\n"
                    "5003000000D8cuIAAR,00001026,2026-09-03T07:05:00.000Z,Phone,High,Closed,true,"
                    "2026-09-03T09:00:00.000Z,Sun Li,Billing\n", "utf-8")
    out = imported(runner, cli, book, src, "--map", "Department__c=department")
    row = tickets(book).iloc[0]
    assert row["ticket_id"] == "00001026" and row["Id"] == "5003000000D8cuIAAR"  # kept, as an extra column
    assert "“工单编号”取自列“CaseNumber”,列“Id”也可对应此字段" in out


@pytest.mark.parametrize("header,specific", [("Issue id,Issue key", "Issue key"), ("id,number", "number")])
def test_a_specific_id_column_wins_over_a_generic_one(header, specific, book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "t.csv", f"{header},Created,Department\n10012,K-12,2026-09-01 08:00,IT\n", "utf-8")
    imported(runner, cli, book, src)
    assert tickets(book).iloc[0]["ticket_id"] == "K-12"


STATUS_ROWS = ("工单编号,创建时间,责任部门,解决时间,状态,联系次数\n"
               "S1,2026-09-01 08:00,客服中心,,Solved,1\n"          # resolved at an unknown time
               "S2,2026-09-02 08:00,客服中心,2026-09-02 09:00,已关闭,1\n"
               "S3,2026-09-03 08:00,客服中心,2026-09-03 10:00,Em andamento,1\n"  # reopened since
               "S4,2026-09-04 08:00,客服中心,,Cancelled,1\n"       # counts only in tickets
               "S5,2026-09-05 08:00,客服中心,,Open,1\n")


def test_a_solved_status_without_a_resolution_time_resolves_the_ticket(book, runner, cli, tmp_path):
    imported(runner, cli, book, write_csv(tmp_path / "s.csv", STATUS_ROWS))
    assert list(tickets(book)["status"]) == ["solved", "closed", "open", "cancelled", "open"]
    o = kpi(runner, cli, book)["overall"]
    assert o["tickets"] == 5
    assert o["backlog"] == 2  # S3 reopened and S5 open; S1 solved, S4 cancelled left it
    assert o["reopen_rate_pct"] == pytest.approx(100 / 3)  # S3 among the resolved S1, S2, S3
    assert o["fcr_pct"] == pytest.approx(200 / 3)  # S1 and S2 resolved at first contact, S3 reopened
    # S1's resolution time is unknown: neither met nor breached; S4 cancelled; S5 is past 48 h: breached
    assert o["resolution_sla_pct"] == pytest.approx(200 / 3)  # S2, S3 met; S5 breached
    assert o["median_resolution_h"] == pytest.approx(1.5)


def test_the_status_decides_only_at_or_after_the_latest_data(book, runner, cli, tmp_path):
    imported(runner, cli, book, write_csv(tmp_path / "s.csv", STATUS_ROWS))
    o = kpi(runner, cli, book, "--as-of", "2026-09-05 12:00")["overall"]  # after the export: the status decides
    assert o["backlog"] == 2
    o = kpi(runner, cli, book, "--as-of", "2026-09-04 12:00")["overall"]  # before it: only resolved_at decides
    assert o["backlog"] == 2  # S1 and S4 (S2 and S3 resolved by then, S5 not yet created)
    assert o["reopen_rate_pct"] == 0.0 and o["fcr_pct"] == 100.0  # S2, S3 resolved; S3 not yet reopened


def test_backlog_is_empty_when_neither_resolution_times_nor_statuses_were_supplied(book, runner, cli, tmp_path):
    imported(runner, cli, book, write_csv(tmp_path / "n.csv", "工单编号,创建时间,责任部门\nN1,2026-09-01 08:00,客服中心\n"))
    o = kpi(runner, cli, book)["overall"]
    assert o["backlog"] is None and o["fcr_pct"] is None and o["tickets"] == 1


def test_closing_time_stands_in_only_without_a_resolution_column(book, runner, cli, tmp_path):
    both = write_csv(tmp_path / "b.csv", "number,opened_at,assignment_group,resolved_at,closed_at\n"
                                         "INC1,2026-09-01 08:00,Desk,,2026-09-03 08:00\n", "utf-8")
    imported(runner, cli, book, both)
    assert pd.isna(tickets(book).iloc[0]["resolved_at"])
    closed = write_csv(tmp_path / "c.csv", "number,opened_at,assignment_group,closed_at\n"
                                           "INC1,2026-09-01 08:00,Desk,2026-09-03 08:00\n", "utf-8")
    imported(runner, cli, book, closed, "--replace")
    assert tickets(book).iloc[0]["resolved_at"] == pd.Timestamp("2026-09-03 08:00")


def test_placeholder_dates_are_blank_and_counted(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "z.csv", "Id,Created at,Group,Solved at\n"
                                        "1,2026-09-01 08:00,Desk,1900-01-01\n"
                                        "2,2026-09-01 09:00,Desk,1900-01-01 00:00:00\n"
                                        "3,2026-09-01 10:00,Desk,0001-01-01\n"
                                        "4,2026-09-01 11:00,Desk,2026-09-01 12:00\n", "utf-8")
    out = imported(runner, cli, book, src)
    assert "列“Solved at”有3个单元格是表示“无”的占位日期(“1900-01-01”、“1900-01-01 00:00:00”、“0001-01-01”)" in out
    d = tickets(book)
    assert d["resolved_at"].isna().tolist() == [True, True, True, False]
    bad = write_csv(tmp_path / "b.csv", "Id,Created at,Group\n9,1970-01-01 00:00:00,Desk\n", "utf-8")
    out = imported(runner, cli, book, bad, code=1)
    assert "第2行“1970-01-01 00:00:00”" in out and "占位日期" in out


def test_placeholder_dates_in_date_cells_of_a_workbook(book, runner, cli, tmp_path):
    import openpyxl

    p = tmp_path / "z.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Id", "Created at", "Group", "Solved at"])
    ws.append([1, pd.Timestamp("2026-09-01 08:00").to_pydatetime(), "Desk", 0])
    ws.append([2, pd.Timestamp("2026-09-01 09:00").to_pydatetime(), "Desk", 1])
    for r in (2, 3):
        ws.cell(r, 4).number_format = "yyyy-mm-dd"
        ws.cell(r, 2).number_format = "yyyy-mm-dd hh:mm"
    wb.save(p)
    out = imported(runner, cli, book, p)
    assert "列“Solved at”有2个单元格是表示“无”的占位日期" in out
    assert tickets(book)["resolved_at"].isna().all()


def test_text_placeholders_for_none_are_blank_in_every_field(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "p.csv", "工单编号,创建时间,责任部门,问题类别,处理人,优先级,解决时间\n"
                                        "P1,2026-09-01 08:00,客服中心,-,N/A,—,null\n"
                                        "P2,2026-09-01 09:00,客服中心,-,无,空,None\n"
                                        "P3,2026-09-01 10:00,客服中心,物流,王伟,/,--\n")
    out = imported(runner, cli, book, src)
    d = tickets(book)
    assert d["category"].isna().tolist() == [True, True, False]
    assert d["agent"].isna().tolist() == [True, True, False]
    assert d["priority"].isna().all() and d["resolved_at"].isna().all()
    assert "列“问题类别”有2个单元格只写了表示“无”的占位符(“-”)" in out
    assert "列“优先级”有3个单元格" in out


def test_kpi_runs_on_a_book_with_surveys_but_no_tickets(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "s.csv", "问卷编号,提交时间,满意度评分\nQ1,2026-09-03 10:00,5\nQ2,2026-09-04 10:00,3\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "surveys"])
    assert r.exit_code == 0, r.output
    d = kpi(runner, cli, book)
    o = d["overall"]
    assert d["period"]["start"] == "2026-09-01" and o["csat_pct"] == 50.0 and o["tickets"] == 0
    assert o["first_response_sla_pct"] is None and o["backlog"] is None
    r = runner.invoke(cli, ["kpi", str(book)])
    assert r.exit_code == 0 and "本期没有工单" in r.output


def test_a_format_is_named_only_with_its_id_creation_and_own_columns(book, runner, cli, tmp_path):
    kaggle = write_csv(tmp_path / "k.csv", "Ticket ID,Customer Name,Ticket Type,Ticket Priority,Ticket Channel,"
                                           "Date of Purchase,Department\n1,Ann,Refund,High,Chat,2026-09-01,Desk\n", "utf-8")
    out = imported(runner, cli, book, kaggle, "--map", "Date of Purchase=created_at")
    assert "已识别" not in out and "看起来像" not in out
    near = write_csv(tmp_path / "f.csv", "Ticket ID,Subject,Status,Priority,Source,Agent,Group,Resolved time,"
                                         "Customer interactions,Opened on\n"
                                         "7,Refund,Closed,Low,Email,Zhao,Billing,2026-09-01 12:00,1,2026-09-01 08:00\n",
                     "utf-8")
    out = imported(runner, cli, book, near, "--replace", "--map", "Opened on=created_at")
    assert "看起来像 Freshdesk (ticket export) 导出,但缺少列“Created time”" in out
    assert tickets(book).iloc[0]["resolved_at"] == pd.Timestamp("2026-09-01 12:00")


def test_a_vendors_numeric_codes_are_read_only_under_its_name(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "n.csv", "工单编号,创建时间,责任部门,优先级\nT1,2026-09-01 08:00,客服中心,4\n")
    out = imported(runner, cli, book, src, code=1)
    assert "列“优先级”:不是允许的取值" in out and "第2行“4”" in out
    assert "未导入任何数据;无法对应的列和取值已添加到“字段映射”表" in out and "保持原样" not in out


def test_an_export_without_a_department_column_says_so_once_and_the_default_department_fills_it(
        book, runner, cli, tmp_path):
    from pyaddin.schema import STANDARDS

    rows = "".join(f"T{i},2026-09-01 08:00\n" for i in range(50))
    src = write_csv(tmp_path / "d.csv", "工单编号,创建时间\n" + rows)
    out = imported(runner, cli, book, src, code=1)
    assert out.count("责任部门") == 3 and "缺少必需的列“责任部门”" in out and "“默认责任部门”一行的“取值”列" in out
    assert "必填项为空" not in out
    with FileBook(book) as b:  # the manager writes the department on 监控标准
        std = b.read(STANDARDS).data
        assert std.loc[std["key"] == "default_department", "text"].isna().all()  # blank by default
        std.loc[std["key"] == "default_department", "text"] = "客服中心"
        b.write(STANDARDS, std)
        b.save(backup=False)
    out = imported(runner, cli, book, src)
    assert "50行都记入“监控标准”中设置的默认责任部门“客服中心”" in out
    assert (tickets(book)["department"] == "客服中心").all()


def test_keep_invalid_is_not_advised_when_it_was_given(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "v.csv", "工单编号,创建时间,责任部门,渠道\nT1,2026-09-01 08:00,客服中心,传真\n")
    imported(runner, cli, book, src, code=1)  # 传真 goes to the value mapping, with no choice yet
    out = imported(runner, cli, book, src, "--keep-invalid", code=1)
    assert "--keep-invalid 不能跳过" in out and "或加 --keep-invalid" not in out


def test_times_written_to_the_minute_are_compared_at_the_minute(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "m.csv", "工单编号,创建时间,责任部门,首次响应时间,优先级\n"
                                        "M1,2026-09-01 17:02:10,客服中心,2026-09-01 17:02,紧急\n"
                                        "M2,2026-09-01 17:10:50,客服中心,2026-09-01 17:15,紧急\n")
    imported(runner, cli, book, src)  # M1's response is in the same minute: not "before" the creation
    o = kpi(runner, cli, book)["overall"]
    assert o["median_first_response_min"] == pytest.approx(2.5)  # 0 and 5 minutes, floored to the minute
    assert o["first_response_sla_pct"] == 100.0


def test_durations_in_any_unit_stand_in_for_timestamps(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "d.csv", "number,opened_at,assignment_group,calendar_duration,First response time (s),"
                                        "First reply time in minutes within business hours\n"
                                        "INC1,2026-09-01 08:00,Desk,7200,0:02:30,3\n"
                                        "INC2,2026-09-01 09:00,Desk,1:30:00,90,\n", "utf-8")
    imported(runner, cli, book, src)
    d = tickets(book)
    assert d["resolved_at"].tolist() == [pd.Timestamp("2026-09-01 10:00"), pd.Timestamp("2026-09-01 10:30")]
    assert d["first_response_at"].tolist() == [pd.Timestamp("2026-09-01 08:02:30"), pd.Timestamp("2026-09-01 09:01:30")]
    days = write_csv(tmp_path / "days.csv", "工单编号,创建时间,责任部门,Resolution time (days),"
                                            "Full resolution time in minutes within business hours\n"
                                            "D1,2026-09-01 08:00,客服中心,1.5,30\nD2,2026-09-01 08:00,客服中心,,30\n")
    imported(runner, cli, book, days, "--replace")
    d = tickets(book)  # a business-hours duration is never read as a calendar one
    assert d["resolved_at"].iloc[0] == pd.Timestamp("2026-09-02 20:00") and pd.isna(d["resolved_at"].iloc[1])


def test_excel_duration_and_time_cells(book, runner, cli, tmp_path):
    import datetime as dt

    import openpyxl

    p = tmp_path / "calls.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ticket ID", "Created at", "Department", "Full resolution time (hrs)", "Talk time"])
    ws.append(["C1", dt.datetime(2026, 9, 3, 9, 0), "Desk", dt.timedelta(hours=26, minutes=30), dt.time(0, 2, 23)])
    ws["D2"].number_format, ws["E2"].number_format = "[h]:mm:ss", "h:mm:ss"
    wb.save(p)
    imported(runner, cli, book, p)
    row = tickets(book).iloc[0]
    assert row["resolved_at"] == pd.Timestamp("2026-09-04 11:30")  # the cell's duration, whatever the header says
    assert row["Talk time"] == "0:02:23"  # an extra column keeps its time as written


@pytest.mark.parametrize("how", [["--map", "Date+Time=created_at"], ["--map", "Time=创建时间", "--map", "Date=创建时间"]])
def test_a_date_and_a_time_in_two_columns_make_one_datetime(how, book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "c.csv", "Ticket ID,Date,Time,Department\n"
                                        "1,2026-09-03,9:50:12,Desk\n2,2026-09-04,00:00,Desk\n3,2026-09-04,soon,Desk\n",
                    "utf-8")
    out = imported(runner, cli, book, src, *how, code=1)
    assert "第4行“2026-09-04 soon”" in out
    imported(runner, cli, book, src, "--keep-invalid")
    d = tickets(book)
    assert d["created_at"].tolist() == [pd.Timestamp("2026-09-03 09:50:12"), pd.Timestamp("2026-09-04")]
    assert d["Date"].tolist() == ["2026-09-03", "2026-09-04"]  # both columns kept as they came


def test_a_column_set_aside_and_an_alias_whose_values_do_not_read(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "log.csv", "Ticket ID,Created at,Department,Resolved\n"
                                          "L1,2026-09-01 08:00,Desk,Y\nL2,2026-09-01 09:00,Desk,N\n", "utf-8")
    out = imported(runner, cli, book, src)  # a Y/N "Resolved" is no resolution time: said, and kept aside
    assert "列“Resolved”的名称像“解决时间”,但多数值不能按此读取" in out
    d = tickets(book)
    assert d["resolved_at"].isna().all() and d["Resolved"].tolist() == ["Y", "N"]
    dated = write_csv(tmp_path / "d.csv", "Ticket ID,Created at,Department,Resolved\n"
                                          "L1,2026-09-01 08:00,Desk,2026-09-01 10:00\n", "utf-8")
    out = imported(runner, cli, book, dated, "--replace", "--map", "Resolved=")
    assert tickets(book)["resolved_at"].isna().all() and tickets(book)["Resolved"].iloc[0] == "2026-09-01 10:00"
    from pyaddin.schema import MAPPING

    with FileBook(book) as b:
        m = b.read(MAPPING).data
    assert list(zip(m["source_header"], m["field"])) == [("Resolved", "忽略")]
    r = runner.invoke(cli, ["check", str(book)])
    assert r.exit_code == 0, r.output


def test_a_value_mapping_on_a_field_without_values_is_refused_at_once(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "x.csv", "工单编号,创建时间,责任部门\nT1,2026-09-01 08:00,客服中心\n")
    before = book.read_bytes()
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--value", "resolved_at:x=other"])
    assert r.exit_code == 2 and "“解决时间”不是有固定取值的字段" in r.output and "渠道、优先级" in r.output
    assert book.read_bytes() == before


def test_vocabulary_additions_and_localised_month_names(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "jira.csv", "Resumo,Issue key,Issue id,Status,Priority,Assignee,Created,Resolved,Component/s\n"
                                           "Falha,SUP-1,101,Fechado,非常紧急,Ana,05/set/23 9:50 AM,06/set/23 10:00 AM,TI\n"
                                           "Erro,SUP-2,102,Solucionado,较急,Ana,12/fev/24 2:00 PM,,TI\n"
                                           "Dúvida,SUP-3,103,Waiting for customer,特急,Ana,01/out/23 8:00 AM,,TI\n",
                    "utf-8")
    out = imported(runner, cli, book, src)
    assert "Jira Service Management" in out
    d = tickets(book)
    assert d["ticket_id"].tolist() == ["SUP-1", "SUP-2", "SUP-3"]
    assert d["status"].tolist() == ["closed", "solved", "pending"]
    assert d["priority"].tolist() == ["urgent", "high", "urgent"]
    assert d["created_at"].tolist() == [pd.Timestamp("2023-09-05 09:50"), pd.Timestamp("2024-02-12 14:00"),
                                        pd.Timestamp("2023-10-01 08:00")]


def test_qa_scorecards_in_the_wide_form_import_one_row_per_item(book, runner, cli, tmp_path):
    from pyaddin.schema import INSPECTIONS

    src = write_csv(tmp_path / "qa.csv", "Evaluation ID,Evaluation date,Agent,Evaluator,Greeting,Accuracy,Compliance\n"
                                         "E1,2026-09-03 10:00,Ann,Kim,100,80,90\nE2,2026-09-04 10:00,Bob,Kim,60,,100\n",
                    "utf-8")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "inspections", "--max-score", "100"])
    assert r.exit_code == 1 and "按3个检查项展开为6行" in r.output
    assert "列“得分”:必填项为空,共1处:第3行" in r.output  # E2's blank Accuracy: an error, not an empty score
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "inspections", "--max-score", "100",
                            "--keep-invalid"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        d = b.read(INSPECTIONS).data
    assert d["item"].tolist() == ["Greeting", "Accuracy", "Compliance"] and set(d["inspection_id"]) == {"E1"}
    assert d["score"].tolist() == [100, 80, 90] and (d["max_score"] == 100).all()
    assert kpi(runner, cli, book)["overall"]["qa_score_pct"] == pytest.approx(90.0)


def test_the_scorecards_items_give_their_max_and_critical_flag(book, runner, cli, tmp_path):
    from pyaddin.schema import INSPECTIONS

    src = write_csv(tmp_path / "qa.csv", "质检编号,质检时间,处理人,礼貌用语,信息安全\nQ1,2026-09-03 10:00,王伟,8,20\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "inspections"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        d = b.read(INSPECTIONS).data
    assert d["max_score"].tolist() == [10, 20] and d["critical"].tolist() == [False, True]


def test_an_inspection_row_without_a_max_score_is_an_error(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "i.csv", "质检编号,质检时间,检查项,得分,满分\nI1,2026-09-03 10:00,礼貌,8,\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "inspections"])
    assert r.exit_code == 1 and "列“满分”:必填项为空" in r.output


CJK = __import__("re").compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ENGLISH_SENTENCE = __import__("re").compile(r"[A-Za-z]{2,}(?:[ ,']+[A-Za-z]{2,}){3,}")  # four English words in a row


def _every_text(book_path, runner, cli, tmp_path, files):
    """What a user of the book reads after a day of imports: messages, check, KPI JSON, rejects, the mapping."""
    from pyaddin.schema import MAPPING, REJECTS, VALUE_MAPPING

    out = []
    for name, into, args in files:
        r = runner.invoke(cli, ["import", str(book_path), str(tmp_path / name), "--into", into, *args])
        out.append(r.output)
    out.append(runner.invoke(cli, ["check", str(book_path)]).output)
    r = runner.invoke(cli, ["pareto", str(book_path), "--json"])
    out.append(r.output)
    r = runner.invoke(cli, ["kpi", str(book_path), "--json"])
    out.append(r.output)
    data = json.loads(r.output)
    out += [k for scope in ("by_agent", "by_department", "by_channel") for k in data[scope]]
    with FileBook(book_path) as b:
        for t in (REJECTS, MAPPING, VALUE_MAPPING):
            d = b.read(t).data
            out += [str(v) for c in d.columns for v in d[c].dropna() if c not in ("source", "record", "value",
                                                                                   "source_header", "source_value")]
    return out


def test_an_english_book_shows_no_chinese_and_a_chinese_book_no_english(runner, cli, tmp_path):
    en = tmp_path / "en.xlsm"
    assert runner.invoke(cli, ["new", str(en), "--lang", "en"]).exit_code == 0
    write_csv(tmp_path / "a.csv", "Ticket ID,Created at,Department,Channel,Priority,Category,Resolved,Agent\n"
                                  "A1,2026-09-01 08:00,Desk,Fax,High,-,Y,Ann\nA2,1900-01-01,Desk,Phone,P9,Billing,N,\n"
                                  "A3,2026-09-02 08:00,Desk,Phone,High,Billing,N,\n", "utf-8")
    write_csv(tmp_path / "b.csv", "Ref,When\nX,2026-09-01 08:00\n", "utf-8")
    write_csv(tmp_path / "s.csv", "Survey ID,Submitted at,CSAT\nQ1,,\nQ2,2026-09-03 10:00,4\n", "utf-8")
    files = [("a.csv", "tickets", []), ("a.csv", "tickets", ["--keep-invalid", "--value", "Channel:Fax=Other",
                                                             "--value", "Priority:P9=Low"]),
             ("b.csv", "tickets", []), ("s.csv", "surveys", ["--keep-invalid"])]
    texts = _every_text(en, runner, cli, tmp_path, files)
    joined = "\n".join(texts)
    assert "Unassigned" in joined and "needs at least one of: CSAT/NPS" in joined and "Unclassified" in joined
    assert not CJK.search(joined), CJK.findall(joined)

    zh = tmp_path / "zh.xlsm"
    assert runner.invoke(cli, ["new", str(zh)]).exit_code == 0
    write_csv(tmp_path / "a.csv", "工单编号,创建时间,责任部门,渠道,优先级,问题类别,处理人\n"
                                  "A1,2026-09-01 08:00,客服中心,传真,高,-,王伟\nA2,1900-01-01,客服中心,电话,超急,账单,\n"
                                  "A3,2026-09-02 08:00,客服中心,电话,高,账单,\n")
    write_csv(tmp_path / "b.csv", "编号,时间\nX,2026-09-01 08:00\n")
    write_csv(tmp_path / "s.csv", "问卷编号,提交时间,满意度评分\nQ1,,\nQ2,2026-09-03 10:00,4\n")
    files = [("a.csv", "tickets", []), ("a.csv", "tickets", ["--keep-invalid", "--value", "渠道:传真=其他",
                                                             "--value", "优先级:超急=紧急"]),
             ("b.csv", "tickets", []), ("s.csv", "surveys", ["--keep-invalid"])]
    texts = _every_text(zh, runner, cli, tmp_path, files)
    joined = "\n".join(texts).replace("--keep-invalid", "").replace("--errors", "")
    assert "未分配" in joined and "未分类" in joined and "至少需要填写其中一项:满意度评分/推荐意愿" in joined
    assert not ENGLISH_SENTENCE.search(joined), ENGLISH_SENTENCE.findall(joined)


def test_a_survey_that_is_only_an_invitation_is_one_problem(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "s.csv", "问卷编号,工单编号,提交时间,满意度评分,推荐意愿\nQ1,T1,,,\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "surveys", "--errors", str(tmp_path / "e.csv")])
    assert r.exit_code == 1
    lines = (tmp_path / "e.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "至少需要填写其中一项" in lines[1]


def test_a_salesforce_record_id_alone_is_not_taken_for_the_ticket_number(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "c.csv", "Id,CreatedDate,Department\n5003000000D8cuIAAR,2026-09-03T07:05:00Z,Desk\n",
                    "utf-8")
    out = imported(runner, cli, book, src, code=1)
    assert "列“Id”是 Salesforce 等系统的记录编号,不是“工单编号”" in out and "缺少必需的列“工单编号”" in out
    out = imported(runner, cli, book, src, "--map", "Id=ticket_id")  # the user's word wins
    assert tickets(book).iloc[0]["ticket_id"] == "5003000000D8cuIAAR"


def test_a_refused_import_that_saved_mappings_does_not_say_the_book_is_unchanged(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "x.csv", "Ref,When,Unit\nT1,yesterday,Desk\n", "utf-8")
    out = imported(runner, cli, book, src, "--map", "Ref=ticket_id", "--map", "When=created_at", "--map",
                   "Unit=department", code=1)
    assert "未导入任何数据;本次给出的字段映射和取值映射已保存到“字段映射”表" in out and "保持原样" not in out
