"""``validate.parse_table`` on small pasted tables: every problem located (row, column, value, reason), the typed
data, which column fills which field, and what the import is told. Fast: no workbook, no file."""
import pandas as pd
import pytest

from pyaddin import schema, validate, values


def parse(table, columns, **kw):
    raw = pd.DataFrame(columns, dtype=object)
    return validate.parse_table(table, raw, pd.Series(range(2, len(raw) + 2), index=raw.index), where="W", **kw)


def issues(parsed):
    return [(i.row, i.column, i.value, i.reason, i.args) for i in parsed.issues]


def filled(parsed):
    return {k: [None if pd.isna(x) else x for x in v] for k, v in parsed.data.to_dict("list").items()
            if any(pd.notna(x) for x in v)}


T = pd.Timestamp
CHANNELS = (("allowed_zh", "电话/在线/邮件/APP/门店/社交媒体/上门/其他"),
            ("allowed_en", "Phone/Chat/Email/App/Store/Social media/On-site/Other"))


def test_every_bad_cell_of_a_ticket_table_is_located_and_the_rest_is_typed():
    p = parse(schema.TICKETS, {
        "工单编号": ["T1", "T1", "T3", None], "创建时间": ["2026-09-03 08:05", "x", "2026-09-03 09:00", "2026-09-03"],
        "责任部门": ["A", "B", "-", "C"], "联系次数": ["0", "2", "1.5", ""],
        "首次响应时间": ["2026-09-03 08:00", None, "2026-09-03 09:00", None], "是否重开": ["是", "maybe", None, "否"],
        "渠道": ["电话", "传真", None, None], "备注2": ["a", "b", "c", "d"]})
    assert issues(p) == [
        (2, "联系次数", "0", "below_min", (("minimum", 1),)),
        (2, "首次响应时间", "2026-09-03 08:00", "before_other", (("other", "创建时间"),)),
        (3, "创建时间", "x", "bad_datetime", ()),
        (3, "渠道", "传真", "bad_enum", CHANNELS),
        (3, "是否重开", "maybe", "bad_bool", ()),
        (3, "工单编号", "T1", "duplicate", (("other", 2),)),
        (4, "责任部门", None, "required", ()),
        (4, "联系次数", "1.5", "bad_integer", ()),
        (5, "工单编号", None, "required", ())]
    assert filled(p) == {
        "ticket_id": ["T1", "T1", "T3", None], "created_at": [T("2026-09-03 08:05"), None, T("2026-09-03 09:00"),
                                                              T("2026-09-03")],
        "channel": ["phone", None, None, None], "department": ["A", "B", None, "C"],
        "first_response_at": [T("2026-09-03 08:00"), None, T("2026-09-03 09:00"), None], "contacts": [0, 2, None, None],
        "reopened": [True, None, None, False], "备注2": ["a", "b", "c", "d"]}
    assert p.headers == {"ticket_id": "工单编号", "created_at": "创建时间", "department": "责任部门", "contacts": "联系次数",
                         "first_response_at": "首次响应时间", "reopened": "是否重开", "channel": "渠道"}
    assert p.extra == ["备注2"] and p.format is None and p.rows.tolist() == [2, 3, 4, 5]
    assert p.notes == [("placeholders_blank", (("column", "责任部门"), ("count", 1), ("values", "“-”")))]
    assert p.bad_rows.tolist() == [0, 1, 2, 3] and not p.fatal
    assert str(p.data["contacts"].dtype) == "Int64"


def test_a_response_at_the_same_minute_as_the_creation_is_not_before_it():
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T2"], "创建时间": ["2026-09-03 08:05:40", "2026-09-03 08:05:10"],
                               "责任部门": ["A", "A"], "首次响应时间": ["2026-09-03 08:05", "2026-09-03 08:04"],
                               "解决时间": ["2026-09-03 08:05", "2026-09-03 08:05"]})
    assert issues(p) == [(3, "首次响应时间", "2026-09-03 08:04", "before_other", (("other", "创建时间"),))]
    seconds = parse(schema.TICKETS, {"工单编号": ["T1"], "创建时间": ["2026-09-03 08:05:40"], "责任部门": ["A"],
                                     "首次响应时间": ["2026-09-03 08:05:39"]})  # both to the second: compared so
    assert [i.reason for i in seconds.issues] == ["before_other"]


def test_score_bounds_and_a_score_above_its_maximum():
    p = parse(schema.INSPECTIONS, {"质检编号": ["Q1", "Q2", "Q3", "Q4"], "质检时间": ["2026-09-01"] * 4,
                                   "得分": ["5", "-1", "4", "0"], "满分": ["4", "0", "4", "0.5"]})
    assert issues(p) == [(2, "得分", "5", "above_other", (("other", "满分"),)),
                         (3, "得分", "-1", "below_min", (("minimum", 0),)),
                         (3, "满分", "0", "not_above", (("minimum", 0),))]
    assert filled(p)["score"] == [5.0, -1.0, 4.0, 0.0]


def test_a_survey_needs_a_score_unless_it_is_an_invitation_not_yet_answered():
    p = parse(schema.SURVEYS, {"问卷编号": ["S1", "S2", "S3", "S4"], "提交时间": ["2026-09-01", None, "2026-09-01", None],
                               "满意度评分": [None, None, "6", "0"], "推荐意愿": [None, None, None, "11"],
                               "发送时间": [None, "2026-09-01", None, None]})
    assert issues(p) == [(2, "满意度评分/推荐意愿", None, "need_one_of", (("zh", "满意度评分/推荐意愿"), ("en", "CSAT/NPS"))),
                         (4, "满意度评分", "6", "above_max", (("maximum", 5),)),
                         (5, "提交时间", None, "required", ()),
                         (5, "满意度评分", "0", "below_min", (("minimum", 1),)),
                         (5, "推荐意愿", "11", "above_max", (("maximum", 10),))]


def test_durations_stand_in_for_the_timestamps_they_measure():
    p = parse(schema.TICKETS, {"Ticket ID": ["T1", "T2", "T3"], "Created": ["2026-09-03 08:00", "2026-09-03 08:00", None],
                               "Group": ["A", "A", "A"], "First reply time in minutes": ["30", "x", "5"],
                               "Resolution time in days": ["1.5", "-1", None],
                               "Closed": ["2026-09-05", "2026-09-05", "2026-09-05"]})
    assert issues(p) == [(3, "First reply time in minutes", "x", "bad_duration", ()),
                         (3, "Resolution time in days", "-1", "below_min", (("minimum", 0),)),
                         (4, "Created", None, "required", ())]
    assert filled(p)["first_response_at"] == [T("2026-09-03 08:30"), None, None]
    assert filled(p)["resolved_at"] == [T("2026-09-04 20:00"), T("2026-09-02 08:00"), None]  # not the closing time
    both = parse(schema.TICKETS, {"Ticket ID": ["T1", "T2"], "Created": ["2026-09-03 08:00"] * 2, "Group": ["A", "A"],
                                  "Resolution time (s)": ["60", None], "Resolution time (days)": ["1", "2"],
                                  "First reply time (hrs)": ["0.5", None]})
    assert issues(both) == []
    assert filled(both)["resolved_at"] == [T("2026-09-03 08:01"), T("2026-09-05 08:00")]  # the first found, then the next
    assert filled(both)["first_response_at"] == [T("2026-09-03 08:30"), None]


def test_a_closing_time_is_the_resolution_only_when_the_export_has_none():
    p = parse(schema.TICKETS, {"Ticket ID": ["T1", "T2"], "Created": ["2026-09-03 08:00", "2026-09-03"],
                               "Group": ["A", "A"], "Closed": ["2026-09-05", "bad"]})
    assert issues(p) == [(3, "Closed", "bad", "bad_datetime", ())]
    assert filled(p)["resolved_at"] == [T("2026-09-05"), None]
    p = parse(schema.TICKETS, {"Ticket ID": ["T1"], "Created": ["2026-09-03 08:00"], "Group": ["A"],
                               "Closed": ["2026-09-05"], "Resolved at": ["2026-09-04"]})
    assert filled(p)["resolved_at"] == [T("2026-09-04")]
    p = parse(schema.TICKETS, {"Ticket ID": ["T1"], "Group": ["A"], "Closed": ["2026-09-05"],
                               "Resolution time (s)": ["60"]})  # no creation time: durations place nothing
    assert "resolved_at" not in filled(p) and issues(p)[0][3] == "missing_column"


def test_a_call_log_date_and_time_join_and_abandoned_says_the_opposite_of_answered():
    p = parse(schema.CALLS, {"Call Id": ["C1", "C2", "C3"], "Date": ["2026-09-03"] * 3, "Time": ["08:05", "09:10", "x"],
                             "Abandoned": ["N", "Y", "maybe"], "AvgTalkDuration": ["0:02:23", "0", None],
                             "wait_s": ["5", "-1", "1:00"]})
    assert issues(p) == [(3, "wait_s", "-1", "below_min", (("minimum", 0),)),
                         (4, "Abandoned", "maybe", "bad_bool", ()),
                         (4, "Date+Time", "2026-09-03 x", "bad_datetime", ()),
                         (4, "是否接通", None, "blank_implied",
                          (("zh", "是否接通"), ("en", "Answered"), ("other", "AvgTalkDuration")))]
    assert filled(p) == {"call_id": ["C1", "C2", "C3"], "started_at": [T("2026-09-03 08:05"), T("2026-09-03 09:10"), None],
                         "answered": [True, False, None], "wait_s": [5.0, -1.0, 60.0], "talk_s": [143.0, 0.0, None]}
    assert p.extra == [] and p.headers["started_at"] == "Date+Time"


def test_a_blank_answered_is_yes_when_there_was_talk_time():
    p = parse(schema.CALLS, {"Call Id": ["C1", "C2"], "Start time": ["2026-09-03"] * 2, "Answered": [None, None],
                             "Talk time": ["30", "0"]})
    assert issues(p) == [(3, "Answered", None, "blank_implied", (("zh", "是否接通"), ("en", "Answered"),
                                                                   ("other", "Talk time")))]
    assert filled(p)["answered"] == [True, None]


@pytest.mark.parametrize("mapping", [{"D+T": "started_at"}, {"D": "started_at", "T": "started_at"},
                                     {"T + D": "started_at"}])
def test_a_mapping_joins_a_date_and_a_time_column_into_one_field(mapping):
    p = parse(schema.CALLS, {"呼叫编号": ["C1", "C2"], "D": ["2026-09-03", "2026-09-04"], "T": ["08:05", "0:30"]},
              mapping=mapping)
    assert filled(p)["started_at"] == [T("2026-09-03 08:05"), T("2026-09-04 00:30")] and issues(p) == []
    assert p.headers["started_at"] == "D+T"


def test_a_mapping_of_two_full_datetimes_or_of_an_unknown_column_joins_nothing():
    raw = pd.DataFrame({"A": ["2026-09-03 08:05"], "B": ["2026-09-04 09:00"]}, dtype=object)
    out, mapping = validate.join_date_time(schema.CALLS, raw, {"A+B": "started_at"})
    assert out is raw and mapping == {"A+B": "started_at"}
    out, mapping = validate.join_date_time(schema.CALLS, raw, {"A+C": "started_at", "B": "queue"})
    assert out is raw and mapping == {"A+C": "started_at", "B": "queue"}
    assert validate.join_date_time(schema.CALLS, raw, None) == (raw, None)
    out, mapping = validate.join_date_time(schema.CALLS, raw, {"A+B": "queue"})  # not a datetime field
    assert out is raw


def test_who_fills_a_field_strongest_claim_first():
    p = parse(schema.TICKETS, {"Id": ["5003000000D8cuIAAR", "5003000000D8cuJAAR"], "CaseNumber": ["00001", "00002"],
                               "Created": ["2026-09-03"] * 2, "部门": ["A", "B"], "Resolved": ["Y", "N"],
                               "工单号": ["x", "y"]})
    assert p.headers == {"ticket_id": "CaseNumber", "created_at": "Created", "department": "部门"}
    assert p.extra == ["Id", "Resolved", "工单号"] and issues(p) == []
    assert p.notes == [("passed_over", (("field", "ticket_id"), ("taken", "CaseNumber"), ("other", "工单号"))),
                       ("passed_over", (("field", "ticket_id"), ("taken", "CaseNumber"), ("other", "Id"))),
                       ("alias_unreadable", (("field", "resolved_at"), ("column", "Resolved")))]
    ranks = {}
    keys, extra, notes = validate.match_headers(schema.TICKETS, ["Ticket", "工单编号", "mine", "Id", "x"],
                                                {"mine": "agent", "x": schema.IGNORE}, None, ranks)
    assert keys == {"ticket_id": "工单编号", "agent": "mine"} and extra == ["Ticket", "Id", "x"]
    assert ranks == {"ticket_id": "name", "agent": "mapping"}
    assert notes == [("ticket_id", "工单编号", "Ticket"), ("ticket_id", "工单编号", "Id")]
    keys, _, _ = validate.match_headers(schema.TICKETS, ["Id", "x"], {"Id": "ticket_id"})
    assert keys == {"ticket_id": "Id"}  # the user's own mapping of a generic id stands


def test_a_salesforce_record_id_alone_is_no_ticket_number_and_the_default_department_fills_in():
    p = parse(schema.TICKETS, {"Id": ["5003000000D8cuIAAR", "5003000000D8cuJAAR"], "Created": ["2026-09-03"] * 2},
              opts=values.ParseOptions(defaults={"department": "客服部"}))
    assert issues(p) == [(None, "ticket_id", None, "missing_column",
                          (("zh", "工单编号"), ("en", "Ticket ID"), ("found", "Id、Created"), ("row", 1), ("where", "W")))]
    assert p.fatal and filled(p)["department"] == ["客服部", "客服部"]
    assert p.notes == [("default_used", (("zh", "责任部门"), ("en", "Department"), ("value", "客服部"), ("count", 2))),
                       ("record_id_unused", (("field", "ticket_id"), ("column", "Id")))]
    assert validate._record_ids(pd.Series(["5003000000D8cuI", "5003000000D8cuJAAR", "12345", None]))  # 15 characters too
    assert not validate._record_ids(pd.Series(["5003000000D8cuI", "12345", "67890"]))
    assert not validate._record_ids(pd.Series([None, None]))
    assert not validate._record_ids(pd.Series(["ABCDE0FGHIJKLMN", "500300000012345"]))  # letters and digits both


def test_a_missing_required_column_names_the_setting_that_could_fill_it():
    p = parse(schema.TICKETS, {"工单编号": ["T1"], "创建时间": ["2026-09-03"]}, header_row=3)
    assert issues(p) == [(None, "department", None, "missing_column_default",
                          (("zh", "责任部门"), ("en", "Department"), ("found", "工单编号、创建时间"), ("row", 3),
                           ("where", "W")))]
    p = parse(schema.TICKETS, {"工单编号": [], "创建时间": []}, opts=values.ParseOptions(defaults={"department": "X"}))
    assert [i.reason for i in p.issues] == ["missing_column_default"] and p.notes == []  # no rows: no default said


def test_error_cells_surrogates_long_texts_placeholders_and_existing_ids():
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T2", "T3"], "创建时间": ["2026-09-03", "1900-01-01", "2026-09-03"],
                               "责任部门": [None, "B\ud800", "C"], "处理记录": ["x" * 32768, "ok\x0b", "😀" * 16384],
                               "Z": ["\x01", "y", "😀" * 16383 + "a"]},
              existing_ids=["T2"], cell_errors=[(2, "责任部门", "#N/A")])
    assert issues(p) == [
        (2, "责任部门", "#N/A", "cell_error", ()),
        (2, "处理记录", "x" * 40 + "…", "too_long", (("limit", 32767),)),
        (3, "责任部门", "B\\ud800", "lone_surrogate", ()),
        (3, "创建时间", "1900-01-01", "placeholder_required", ()),
        (3, "工单编号", "T2", "duplicate_existing", ()),
        (4, "处理记录", "😀" * 40 + "…", "too_long", (("limit", 32767),))]
    assert filled(p)["department"] == [None, "B\ufffd", "C"]
    assert p.notes == [("control_chars_removed", (("count", 2),))]  # \x0b and \x01: texts and extra columns


def test_duplicates_name_the_first_row_and_arrow_ids_are_checked_against_the_book():
    ids = pd.Series(["a", "b", "a", None, "b", "c"], dtype="str")
    found = []
    validate._check_unique(ids, pd.Series(range(2, 8)), "ID", ["c"], found, "W")
    assert [(i.row, i.value, i.reason, i.args) for i in found] == [
        (7, "c", "duplicate_existing", ()), (4, "a", "duplicate", (("other", 2),)),
        (6, "b", "duplicate", (("other", 3),))]
    assert validate._isin(ids, ["a", "z"]).tolist() == [True, False, True, False, False, False]
    assert validate._isin(pd.Series([1, 2], dtype=object), [2]).tolist() == [False, True]
    assert validate._isin(pd.Series([1, "a"], dtype=object), ["a", 1]).tolist() == [True, True]  # mixed: pandas
    assert validate._isin(pd.Series([1, 2]), ["x", 2]).tolist() == [False, True]  # numbers: pandas


def test_references_to_another_table():
    problems = parse(schema.PROBLEMS, {"问题编号": ["P1", "P2"], "问题描述": ["x", "y"]})
    causes = parse(schema.ROOTCAUSE, {"问题编号": ["P1", "P9", None], "6M维度": ["人", "机", "料"], "原因": ["a", "b", "c"]})
    plan = parse(schema.PLAN, {"措施编号": ["A1"], "Problem ID": ["P8"], "改进措施": ["m"]})
    found = validate.check_references({"problems": problems, "rootcause": causes, "plan": plan},
                                      {"rootcause": "rc.csv"})
    assert [(i.row, i.column, i.value, i.reason, i.args, i.where) for i in found] == [
        (3, "问题编号", "P9", "unknown_reference", (("zh", "问题清单"), ("en", "Problems")), "rc.csv"),
        (2, "Problem ID", "P8", "unknown_reference", (("zh", "问题清单"), ("en", "Problems")),
         schema.PLAN.sheet(validate.current()))]
    assert validate.check_references({"rootcause": causes}) == []  # the problem list not read: nothing to check


def test_messages_in_both_languages_with_the_place():
    i = validate.Issue(3, "渠道", None, "required", (), "工单数据")
    assert i.message("en").startswith("工单数据: ") and "3" in i.message("en")
    assert i.both() == f"{i.message('zh')} | {i.message('en')}"
    whole = validate.Issue(None, "x", None, "missing_column", (("zh", "a"), ("en", "b"), ("found", "c"), ("row", 1),
                                                                  ("where", "W")))
    assert whole.message("en") == validate.text("missing_column", "en", zh="a", en="b", found="c", row=1, where="W")
    assert validate._show(None) == "" and validate._show(float("nan")) == "" and validate._show(2.5) == "2.5"
    assert validate.utf16_units("a😀") == 3 and isinstance(validate.utf16_units("a😀"), int)


@pytest.mark.parametrize("ftype, reason", [("datetime", "bad_datetime"), ("date", "bad_datetime"), ("bool", "bad_bool"),
                                           ("integer", "bad_integer"), ("number", "bad_number"),
                                           ("percent", "bad_number"), ("seconds", "bad_duration"),
                                           ("text", "bad_number")])
def test_the_reason_for_an_unreadable_cell_follows_the_type(ftype, reason):
    assert validate._type_reason(schema.Field("k", "键", "Key", ftype)) == (reason, ())


def test_control_characters_are_counted_in_text_of_every_kind():
    assert validate.control_chars(pd.Series(["a\x01", None, 3, "\ufffe\x0c"], dtype=object)) == 3
    assert validate.control_chars(pd.Series(["a\x01", None], dtype="str")) == 1
    assert validate.control_chars(pd.Series([1.0])) == 0 and validate.control_chars(pd.Series([], dtype=object)) == 0


# --------------------------------------------------------------------------- sharper cases (mutation testing, issue 19)

def test_a_message_names_the_place_the_row_the_column_and_the_value():
    i = validate.Issue(3, "渠道", 2.5, "required", (), "工单数据")
    assert i.message("zh") == "工单数据: 第3行,列“渠道”,值“2.5”:必填项为空"
    assert i.message("en") == "工单数据: row 3, column “渠道”, value “2.5”: required value is empty"
    assert validate.Issue(4, "渠道", None, "required").message("en") == "row 4, column “渠道”, value “”: required value is empty"
    assert i.say() == i.message("zh")


def test_the_headers_that_say_where_an_exports_header_row_is():
    known = validate.known_headers(schema.TICKETS)
    for h in ("ticket_id", "工单编号", "Ticket ID", "工单号", "Solved at", "stats.first_responded_at", "Opened"):
        assert schema.norm(h) in known, h  # a key, a label, an alias, a vendor's column, its id and creation time
    assert schema.norm("Submitted at") not in known and schema.norm("Call Id") not in known  # other tables' words
    calls = validate.known_headers(schema.CALLS, {"呼入时刻": "started_at"})
    assert {schema.norm(h) for h in ("来电日期", "来电时刻", "呼入时刻", "call id")} <= calls  # a join's columns, a mapping
    assert schema.norm("呼入时刻") not in validate.known_headers(schema.CALLS)


def test_a_users_mapping_of_a_generic_id_wins_over_a_named_column_and_the_first_of_equals_wins():
    keys, extra, notes = validate.match_headers(schema.TICKETS, ["工单编号", "Id"], {"Id": "ticket_id"})
    assert keys == {"ticket_id": "Id"} and notes == [("ticket_id", "Id", "工单编号")]
    keys, _, notes = validate.match_headers(schema.TICKETS, ["工单号", "Ticket"])  # two aliases: the first column
    assert keys == {"ticket_id": "工单号"} and notes == [("ticket_id", "工单号", "Ticket")]
    keys, extra, _ = validate.match_headers(schema.TICKETS, ["x", "工单编号", "部门"], {"x": schema.IGNORE})
    assert keys == {"ticket_id": "工单编号", "department": "部门"} and extra == ["x"]  # set aside, then read on


def test_a_vendors_numeric_codes_are_read_under_its_name_and_the_users_value_map_wins():
    cols = {"id": ["1", "2"], "created_at": ["2026-09-03 08:00"] * 2, "group_name": ["A", "A"],
            "priority": ["1", "2"], "status": ["2", "5"], "source": ["3", "7"]}
    p = parse(schema.TICKETS, cols)
    assert p.format == "Freshdesk (API field names)" and issues(p) == []
    assert p.headers == {"ticket_id": "id", "created_at": "created_at", "department": "group_name",
                         "priority": "priority", "status": "status", "channel": "source"}
    assert [filled(p)[k] for k in ("priority", "status", "channel")] == [
        ["low", "normal"], ["open", "closed"], ["phone", "chat"]]
    p = parse(schema.TICKETS, cols, opts=values.ParseOptions(value_map={"priority": {"2": "urgent"}, "agent": {"x": "y"}}))
    assert [filled(p)[k] for k in ("priority", "status")] == [["low", "urgent"], ["open", "closed"]]
    plain = parse(schema.TICKETS, {"工单编号": ["T1"], "创建时间": ["2026-09-03"], "责任部门": ["A"], "优先级": ["1"]})
    assert plain.format is None and [i[3] for i in issues(plain)] == ["bad_enum"]  # codes only under the vendor's name


def test_a_mapped_record_id_stays_and_an_unreadable_alias_after_an_unused_id_is_still_set_aside():
    sf = ["5003000000D8cuIAAR", "5003000000D8cuJAAR"]
    p = parse(schema.TICKETS, {"Id": sf, "Created": ["2026-09-03"] * 2, "部门": ["A", "B"]}, mapping={"Id": "ticket_id"})
    assert p.headers["ticket_id"] == "Id" and issues(p) == [] and p.notes == []
    p = parse(schema.TICKETS, {"Id": sf, "Created": ["2026-09-03"] * 2, "部门": ["A", "B"], "Resolved": ["Y", "N"]})
    assert [n[0] for n in p.notes] == ["record_id_unused", "alias_unreadable"] and "resolved_at" not in p.headers


def test_only_a_column_matched_by_an_alias_is_set_aside_for_unreadable_values():
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T2"], "创建时间": ["x", "y"], "部门": ["A", "B"], "Via": ["传真", "fax"]})
    assert [(i[0], i[1], i[3]) for i in issues(p)] == [(2, "创建时间", "bad_datetime"), (2, "Via", "bad_enum"),
                                                       (3, "创建时间", "bad_datetime"), (3, "Via", "bad_enum")]
    assert p.headers["created_at"] == "创建时间" and p.headers["channel"] == "Via" and p.notes == []


def test_what_a_column_holds_is_told_from_its_first_values(monkeypatch):
    monkeypatch.setattr(validate, "SAMPLE", 2)
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T2", "T3", "T4", "T5"], "Created": ["2026-09-03"] * 5,
                               "部门": ["A"] * 5, "Resolved": ["2026-09-04", "2026-09-05", "Y", "N", "Y"]})
    assert p.headers["resolved_at"] == "Resolved" and [i[3] for i in issues(p)] == ["bad_datetime"] * 3
    p = parse(schema.TICKETS, {"Resolved": ["Y", "N", "2026-09-05"], "工单编号": ["T1", "T2", "T3"],
                               "Created": ["2026-09-03"] * 3, "部门": ["A"] * 3})
    assert "resolved_at" not in p.headers
    assert not validate._record_ids(pd.Series(["12345", "67890"] + ["5003000000D8cuIAAR"] * 3))


def test_a_record_id_has_letters_of_either_case_and_digits():
    assert validate._record_ids(pd.Series(["5003000000ABCDE", "5003000000abcde"]))
    assert validate._record_ids(pd.Series(["5003000000ABCDE"])) and validate._record_ids(pd.Series(["5003000000abcde"]))


def test_a_date_and_time_joined_read_day_first_when_the_workbook_says_so():
    opts = values.ParseOptions(day_first=True)
    p = parse(schema.CALLS, {"呼叫编号": ["C1"], "D": ["03/09/2026"], "T": ["08:05"]}, mapping={"D+T": "started_at"},
              opts=opts)
    assert filled(p)["started_at"] == [T("2026-09-03 08:05")]
    p = parse(schema.CALLS, {"Call Id": ["C1"], "Date": ["03/09/2026"], "Time": ["08:05"]}, opts=opts)
    assert filled(p)["started_at"] == [T("2026-09-03 08:05")] and p.headers["started_at"] == "Date+Time"
    p = parse(schema.TICKETS, {"Ticket ID": ["T1"], "Created": ["03/09/2026 08:00"], "Group": ["A"],
                               "First reply time in minutes": ["30"]}, opts=opts)
    assert filled(p)["first_response_at"] == [T("2026-09-03 08:30")]


def test_every_problem_carries_where_it_was_found():
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T1"], "创建时间": ["2026-09-03", "x"], "责任部门": ["A\ud800", None],
                               "First reply time in minutes": ["5", "y"], "联系次数": ["0", "1"]},
              existing_ids=["T1"], cell_errors=[(2, "工单编号", "#N/A")])
    assert {(i.reason, i.where) for i in p.issues} == {(r, "W") for r in (
        "cell_error", "lone_surrogate", "bad_datetime", "bad_duration", "required", "below_min", "duplicate_existing")}
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T1"], "创建时间": ["2026-09-03"] * 2, "责任部门": ["A", "A"]})
    assert [(i.reason, i.where) for i in p.issues] == [("duplicate", "W")]
    calls = parse(schema.CALLS, {"Call Id": ["C1", "C2"], "Start time": ["2026-09-03"] * 2, "Abandoned": ["maybe", None]})
    implied = ("blank_implied", "W", (("zh", "是否接通"), ("en", "Answered"), ("other", "talk_s")))  # no talk-time column
    assert [(i.row, i.column, i.reason, i.where, i.args) for i in calls.issues] == [
        (2, "Abandoned", "bad_bool", "W", ()), (2, "是否接通", *implied), (3, "是否接通", *implied)]
    raw = pd.DataFrame({"工单编号": ["T1"], "创建时间": ["2026-09-03"]}, dtype=object)
    bare = validate.parse_table(schema.TICKETS, raw, pd.Series([2]), cell_errors=[(2, "工单编号", "#REF!")])
    assert {i.where for i in bare.issues} == {""}


def test_a_second_of_talk_time_means_answered():
    p = parse(schema.CALLS, {"Call Id": ["C1", "C2"], "Start time": ["2026-09-03"] * 2, "Answered": [None, None],
                             "Talk time": ["1", "0.5"]})
    assert filled(p)["answered"] == [True, True] and issues(p) == []


def test_a_missing_column_lists_the_first_thirty_headers_read():
    cols = {f"c{i}": ["x"] for i in range(31)}
    p = parse(schema.TICKETS, {"工单编号": ["T1"], "创建时间": ["2026-09-03"], **cols})
    found = dict(p.issues[0].args)["found"]
    assert found.split("、") == ["工单编号", "创建时间"] + [f"c{i}" for i in range(28)]


def test_placeholders_made_blank_are_named_three_at_most():
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T2", "T3", "T4", "T5"], "创建时间": ["2026-09-03"] * 5,
                               "责任部门": ["A"] * 5, "渠道": ["-", "N/A", "无", "null", "-"]})
    assert p.notes == [("placeholders_blank", (("column", "渠道"), ("count", 5), ("values", "“-”、“N/A”、“无”")))]


def test_a_survey_export_of_invitations_needs_no_answer_columns():
    p = parse(schema.SURVEYS, {"问卷编号": ["S1"], "发送时间": ["2026-09-01"]})
    assert issues(p) == [] and filled(p) == {"survey_id": ["S1"], "sent_at": [T("2026-09-01")]}
    p = parse(schema.SURVEYS, {"问卷编号": ["S1"], "满意度评分": ["4"]})
    assert [i[4][0] for i in issues(p)] == [("zh", "提交时间")]


def test_an_export_that_nearly_is_a_known_format_says_which_columns_it_lacks_first():
    p = parse(schema.TICKETS, {"Ticket ID": ["T1"], "Via": ["电话"], "Group": ["A"], "Solved at": ["2026-09-04"],
                               "Reopens": ["0"], "工单号": ["x"]})
    assert p.format is None and [i.reason for i in p.issues] == ["missing_column"]
    assert p.notes == [("format_near_miss", (("name", "Zendesk (ticket CSV export)"), ("missing", "“Id”、“Created at”"))),
                       ("passed_over", (("field", "ticket_id"), ("taken", "Ticket ID"), ("other", "工单号")))]
    whole = parse(schema.TICKETS, {"Id": ["1"], "Created at": ["2026-09-03"], "Via": ["电话"], "Group": ["A"],
                                   "Resolved time": ["2026-09-04"], "Agent": ["x"]})  # Freshdesk's own words too
    assert whole.format == "Zendesk (ticket CSV export)" and whole.notes == [] and issues(whole) == []


def test_the_file_wide_problems_come_first_and_each_row_problem_says_where():
    p = parse(schema.INSPECTIONS, {"质检编号": ["Q1", "Q2"], "得分": ["5", "3"], "满分": ["4", "4"],
                                   "别的": ["x" * 32768, "ok"]})
    assert [(i.row, i.reason, i.where) for i in p.issues] == [
        (None, "missing_column", "W"), (2, "too_long", "W"), (2, "above_other", "W")]
    s = parse(schema.SURVEYS, {"问卷编号": ["S1"], "提交时间": ["2026-09-01"], "满意度评分": [None]})
    assert [(i.reason, i.where) for i in s.issues] == [("need_one_of", "W")]
    t = parse(schema.TICKETS, {"工单编号": ["T1"], "创建时间": ["2026-09-03 08:00"], "责任部门": ["A"],
                               "首次响应时间": ["2026-09-03 07:00"]})
    assert [(i.reason, i.where) for i in t.issues] == [("before_other", "W")]


def test_a_default_department_is_text_like_a_read_one_and_too_long_a_default_is_named_by_its_label():
    p = parse(schema.TICKETS, {"工单编号": ["T1"], "创建时间": ["2026-09-03"]},
              opts=values.ParseOptions(defaults={"department": "客服部"}))
    assert p.data["department"].dtype == p.data["ticket_id"].dtype == object
    p = parse(schema.TICKETS, {"工单编号": ["T1"], "创建时间": ["2026-09-03"]},
              opts=values.ParseOptions(defaults={"department": "长" * 32768}))
    assert issues(p) == [(2, "责任部门", "长" * 40 + "…", "too_long", (("limit", 32767),))]


def located(parsed):
    return [(i.row, i.column, i.value, i.reason, i.args, i.where) for i in parsed.issues]


def test_a_duration_reads_the_creation_time_without_saying_its_notes_twice_and_a_closing_time_by_the_settings():
    opts = values.ParseOptions(day_first=True)
    p = parse(schema.TICKETS, {"Ticket ID": ["T1", "T2"], "Created": ["03/09/2026 08:00", "1900-01-01"], "Group": ["A", "A"],
                               "First reply time in minutes": ["30", "5"], "Closed": ["05/09/2026", "1900-01-01"]},
              opts=opts)
    assert filled(p)["first_response_at"] == [T("2026-09-03 08:30"), None]
    assert filled(p)["resolved_at"] == [T("2026-09-05"), None]  # day first, as the workbook says; 1900 is no date
    # each column's order and placeholder dates said once, under its own field (the import names the column by it)
    assert [(k, type(n).__name__) for k, n in opts.notes] == [("closed_at", "OrderNote"), ("closed_at", "PlaceholderNote"),
                                                              ("created_at", "OrderNote"), ("created_at", "PlaceholderNote")]
    assert located(p) == [(3, "Created", "1900-01-01", "placeholder_required", (), "W")]
    bad = parse(schema.TICKETS, {"Ticket ID": ["T1", "T2"], "Created": ["2026-09-03"] * 2, "Group": ["A", "A"],
                                 "Closed": ["2026-09-05", "soon"], "First reply time in minutes": ["-1", None]})
    assert located(bad) == [(2, "First reply time in minutes", "-1", "below_min", (("minimum", 0),), "W"),
                            (3, "Closed", "soon", "bad_datetime", (), "W")]


def test_a_mapping_joins_each_datetime_field_it_can_and_passes_over_the_rest_in_its_order():
    raw = pd.DataFrame({"部门": ["A"], "At": ["08:05"], "Day": ["2026-09-03"], "P": ["2026-09-03 09:00"],
                        "Q": ["2026-09-04 10:00"], "Date (UTC+8)": ["2026-09-05"], "Time (UTC+8)": ["10:30"]}, dtype=object)
    mapping = {"部门": "department", "x": schema.IGNORE, "At+Nowhere": "created_at", "P+Q": "first_response_at",
               "Day+At": "resolved_at", "Date (UTC+8)": "arrived_at", "Time (UTC+8)": "arrived_at"}
    out, joined = validate.join_date_time(schema.TICKETS, raw, mapping)
    # not a datetime field, set aside, a column that is not there, two full datetimes: passed over, the next read on;
    # the time told from the date by its values, not by the names' order; two mapped headers holding "+" themselves
    assert joined == {"部门": "department", "x": schema.IGNORE, "At+Nowhere": "created_at", "P+Q": "first_response_at",
                      "Day+At": "resolved_at", "Date (UTC+8)+Time (UTC+8)": "arrived_at"}
    assert out["Day+At"].tolist() == [T("2026-09-03 08:05")]
    assert out["Date (UTC+8)+Time (UTC+8)"].tolist() == [T("2026-09-05 10:30")]
    assert mapping["Date (UTC+8)"] == "arrived_at"  # the caller's mapping is left as it was


def test_a_column_of_times_is_one_where_more_than_half_the_cells_are_times():
    raw = pd.DataFrame({"D": ["2026-09-03", "2026-09-04"], "T": ["08:05", "soon"]}, dtype=object)
    out, mapping = validate.join_date_time(schema.CALLS, raw, {"D+T": "started_at"})
    assert out is raw and mapping == {"D+T": "started_at"}  # half of them: not a time column
    out, _ = validate.join_date_time(schema.CALLS, raw.assign(T=["08:05", "9:10"]), {"D+T": "started_at"})
    assert out["D+T"].tolist() == [T("2026-09-03 08:05"), T("2026-09-04 09:10")]


def test_a_joined_date_says_its_day_first_reading_under_the_field_it_fills():
    raw = pd.DataFrame({"D": ["03/09/2026"], "T": ["08:05"]}, dtype=object)
    opts = values.ParseOptions(day_first=True)
    out, _ = validate.join_date_time(schema.CALLS, raw, {"D+T": "started_at"}, opts)
    assert out["D+T"].tolist() == [T("2026-09-03 08:05")] and [k for k, _ in opts.notes] == ["started_at"]
    opts = values.ParseOptions(day_first=True)
    p = parse(schema.CALLS, {"Call Id": ["C1"], "Date": ["03/09/2026"], "Time": ["08:05"]}, opts=opts)
    assert p.headers["started_at"] == "Date+Time" and [k for k, _ in opts.notes] == ["started_at"]


def test_a_date_without_a_time_or_a_time_without_a_date_joins_nothing():
    p = parse(schema.CALLS, {"Call Id": ["C1"], "Date": ["2026-09-03"]})
    assert "started_at" not in p.headers and p.extra == ["Date"] and [i.reason for i in p.issues] == ["missing_column"]
    p = parse(schema.CALLS, {"Call Id": ["C1"], "Time": ["08:05"]})
    assert "started_at" not in p.headers and p.extra == ["Time"] and [i.reason for i in p.issues] == ["missing_column"]


def test_every_join_of_a_table_is_tried_whatever_came_of_the_one_before():
    from dataclasses import replace

    table = replace(schema.TICKETS, joins=(("created_at", ("建单日",), ("建单钟点",)),
                                           ("resolved_at", ("结案日",), ("结案钟点",))))
    p = parse(table, {"工单编号": ["T1"], "创建时间": ["2026-09-03 08:00"], "责任部门": ["A"], "结案日": ["2026-09-04"],
                      "结案钟点": ["17:30"]})  # the first field has a column of its own
    assert p.headers["resolved_at"] == "结案日+结案钟点" and filled(p)["resolved_at"] == [T("2026-09-04 17:30")]
    p = parse(table, {"工单编号": ["T1"], "责任部门": ["A"], "结案日": ["2026-09-04"], "结案钟点": ["17:30"]})  # nor its columns
    assert p.headers["resolved_at"] == "结案日+结案钟点" and p.extra == []


def test_every_yes_no_column_that_says_the_opposite_of_a_field_is_read():
    from dataclasses import replace

    hung_up = schema.Field("hung_up", "挂断", "Hung up", "bool", aliases=("Hung up",), negates="answered")
    table = replace(schema.CALLS, derived=(hung_up, *schema.CALLS.derived))
    p = parse(table, {"Call Id": ["C1", "C2"], "Start time": ["2026-09-03"] * 2, "Abandoned": ["N", "Y"]})
    assert filled(p)["answered"] == [True, False] and issues(p) == []  # the first has no column: the next is read


def test_text_of_a_column_of_numbers_or_with_a_lone_surrogate_or_on_its_own_index():
    assert validate.control_chars(pd.Series([1, 2.5], dtype=object)) == 0  # no text at all in Python objects
    assert validate.control_chars(pd.Series(["\ud800\x01", 5], dtype=object)) == 1  # kept as Python text
    found = []
    validate._check_length(pd.Series([7, "x" * 32768], index=[10, 20], dtype=object), pd.Series([5, 6], index=[10, 20]),
                           "H", found, "W")
    assert [(i.row, i.value, i.reason) for i in found] == [(6, "x" * 40 + "…", "too_long")]


def test_a_survey_row_with_nothing_in_it_is_one_problem_and_its_other_problems_stay():
    p = parse(schema.SURVEYS, {"问卷编号": ["S1", "S2", "S3"], "提交时间": ["soon", None, None],
                               "满意度评分": [None, None, "4"], "发送时间": [None, None, "2026-09-01"]})
    one_of = ("need_one_of", (("zh", "满意度评分/推荐意愿"), ("en", "CSAT/NPS")))
    assert [(i.row, i.column, i.reason, i.args) for i in p.issues] == [
        (2, "提交时间", "bad_datetime", ()), (2, "满意度评分/推荐意愿", *one_of),
        (3, "满意度评分/推荐意愿", *one_of),  # not also its blank submission time
        (4, "提交时间", "required", ())]  # sent and answered: no invitation waiting, the submission time is needed
    rows = pd.Series([2, 3])
    out = pd.DataFrame({"ticket_id": ["T1", "T2"]})
    assert validate._invitations(schema.TICKETS, out, rows, {}, []).tolist() == [False, False]  # no invitations


def test_a_lone_surrogate_anywhere_in_the_range_is_found_and_shown_to_sixty_characters():
    p = parse(schema.TICKETS, {"工单编号": ["T1", "T2", "T3"], "创建时间": ["2026-09-03"] * 3,
                               "责任部门": ["客服\ud800" + "x" * 70, "客服部", "\udfff"]})
    assert located(p) == [(2, "责任部门", ("客服\\ud800" + "x" * 70)[:60], "lone_surrogate", (), "W"),
                          (4, "责任部门", "\\udfff", "lone_surrogate", (), "W")]
    assert filled(p)["department"] == ["客服\ufffd" + "x" * 70, "客服部", "\ufffd"]


def test_a_percent_field_has_its_bounds_and_a_long_text_field_says_where():
    p = parse(schema.PLAN, {"措施编号": ["A1", "A2"], "问题编号": ["P1", "P1"], "改进措施": ["m", "长" * 32768],
                            "进度%": ["120", "-5"]})
    assert located(p) == [(2, "进度%", "120", "above_max", (("maximum", 100),), "W"),
                          (3, "改进措施", "长" * 40 + "…", "too_long", (("limit", 32767),), "W"),
                          (3, "进度%", "-5", "below_min", (("minimum", 0),), "W")]


def test_which_of_two_mapped_columns_is_the_time_is_told_from_their_first_values(monkeypatch):
    monkeypatch.setattr(validate, "SAMPLE", 2)
    raw = pd.DataFrame({"A": ["08:05", "09:10", "2026-09-03", "2026-09-04", "2026-09-05"],
                        "B": ["2026-09-03", "2026-09-04", "08:05", "09:10", "10:00"]}, dtype=object)
    out, mapping = validate.join_date_time(schema.CALLS, raw, {"A+B": "started_at"})
    # by their first two values A is the time and B the date (over all five, the other way round)
    assert mapping == {"B+A": "started_at"}
    assert out["B+A"].tolist()[:2] == [T("2026-09-03 08:05"), T("2026-09-04 09:10")]
