"""qualitybook import: encodings, header matching, every bad cell reported, nothing half-written."""
import hashlib

import pandas as pd

from conftest import ROOT, write_csv
from pyaddin.book import FileBook
from pyaddin.schema import REJECTS, TICKETS, VALUE_MAPPING

HEAD = "工单编号,创建时间,渠道,责任部门,处理人,优先级,问题类别,首次响应时间,解决时间,联系次数,是否重开,是否投诉,处理记录,客户等级\n"


def md5(p):
    return hashlib.md5(p.read_bytes()).hexdigest()


def test_sample_exports_import_in_utf8_gbk_and_xlsx(book, runner, cli):
    import openpyxl

    inspections = openpyxl.load_workbook(ROOT / "samples" / "inspections.xlsx").active.max_row - 1  # as written
    surveys = len((ROOT / "samples" / "surveys.csv").read_bytes().decode("gb18030").strip().splitlines()) - 1
    for name, into, n in (("tickets.csv", "tickets", 4000), ("surveys.csv", "surveys", surveys),
                          ("inspections.xlsx", "inspections", inspections)):
        r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / name), "--into", into])
        assert r.exit_code == 0, r.output
        assert f"(共{n}行)" in r.output
    with FileBook(book) as b:
        t = b.read(TICKETS)
        assert not t.issues
        assert len(t.data) == 4000
        assert t.data["channel"].isin(["phone", "chat", "app", "email", "store", "social", "onsite"]).all()


def test_values_are_typed_and_extra_columns_kept(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "t.csv", HEAD + "A1,2026/9/3 8:05,电话,客服中心,王伟,紧急,物流延迟,2026年9月3日 08:09,"
                    "2026-09-03 10:00,１,否,是,已回访,VIP\nA2,46268.5,Email,售后服务部,,,,,,,,,,普通\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        d = b.read(TICKETS).data
    assert list(d.columns)[-1] == "客户等级" and list(d["客户等级"]) == ["VIP", "普通"]
    a1, a2 = d.iloc[0], d.iloc[1]
    assert str(a1["created_at"]) == "2026-09-03 08:05:00" and str(a1["first_response_at"]) == "2026-09-03 08:09:00"
    assert a1["priority"] == "urgent" and bool(a1["is_complaint"]) and a1["contacts"] == 1
    # blank cells stay blank in the workbook (DOMAIN.md §3): defaults apply only when computing
    assert a2["priority"] is None and pd.isna(a2["contacts"]) and pd.isna(a2["reopened"])
    assert str(a2["created_at"]) == "2026-09-03 12:00:00" and a2["channel"] == "email"


def test_every_bad_cell_is_reported_and_unknown_values_go_to_the_mapping_table(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "bad.csv", HEAD
                    + "B1,2026-09-03 08:00,电话,客服中心,王伟,紧急,物流,2026-09-03 07:00,,1,否,否,,\n"   # response before creation
                    + "B1,2026-09-03 08:00,传真,客服中心,王伟,超急,物流,,,0,也许,否,,\n"           # dup id, bad enums, contacts 0, bad bool
                    + "B3,昨天,电话,,王伟,高,物流,,,1,否,否,,\n", "gb18030")                       # bad date, missing department
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1
    out = r.output
    assert "bad.csv 列“首次响应时间”:早于“创建时间”,共1处:第2行“2026-09-03 07:00”" in out
    assert "列“工单编号”:编号重复(与第2行相同),共1处:第3行“B1”" in out
    assert "列“渠道”:不是允许的取值" in out and "第3行“传真”" in out and "第3行“超急”" in out
    assert "列“联系次数”:小于允许的最小值1,共1处:第3行“0”" in out and "第3行“也许”" in out
    assert "列“创建时间”:无法识别的日期时间,共1处:第4行“昨天”" in out and "列“责任部门”:必填项为空" in out
    # unknown values went to the value-mapping table, for the user to pick from the dropdowns; nothing else changed
    assert "已列入“字段映射”表" in out
    with FileBook(book) as b:
        vm = b.read(VALUE_MAPPING).data
        assert b.read(TICKETS).data.empty
    assert sorted(zip(vm["field"], vm["source_value"])) == [("优先级", "超急"), ("渠道", "传真")]
    assert vm["value"].isna().all()


def test_keep_invalid_imports_valid_rows_and_rejects_the_rest(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "mix.csv", HEAD + "C1,2026-09-03 08:00,电话,客服中心,王伟,高,物流,,,1,否,否,,\n"
                    "C2,不是日期,电话,客服中心,王伟,高,物流,,,1,否,否,,\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--keep-invalid"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        assert list(b.read(TICKETS).data["ticket_id"]) == ["C1"]
        rej = b.read(REJECTS).data
    assert list(rej["row"]) == [3] and list(rej["column"]) == ["创建时间"] and list(rej["value"]) == ["不是日期"]
    assert "C2" in rej["record"][0] and "无法识别的日期时间" in rej["reason"][0]


def test_append_refuses_ids_already_in_the_book_and_replace_replaces(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "a.csv", HEAD + "D1,2026-09-03 08:00,电话,客服中心,王伟,高,物流,,,1,否,否,,\n")
    assert runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"]).exit_code == 0
    r = runner.invoke(cli, ["--lang", "en", "import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1 and "id already in the workbook" in r.output and "编号已存在" not in r.output
    assert runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets", "--replace"]).exit_code == 0
    with FileBook(book) as b:
        assert list(b.read(TICKETS).data["ticket_id"]) == ["D1"]


def test_english_and_zendesk_headers_and_a_user_mapping(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "zd.csv", "Id,Created at,Via,Group,Assignee,Priority,Ticket type,Solved at,Reopens,Ref\n"
                    "9001,2026-09-01 10:00,Phone call (incoming),客服中心,Li,Urgent,Billing,2026-09-01 11:00,2,x\n",
                    "utf-8")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    with FileBook(book) as b:
        row = b.read(TICKETS).data.iloc[0]
    assert row["ticket_id"] == "9001" and row["channel"] == "phone" and row["priority"] == "urgent"
    assert row["category"] == "Billing" and bool(row["reopened"]) and row["Ref"] == "x"


def test_missing_required_column_names_the_fix(book, runner, cli, tmp_path):
    src = write_csv(tmp_path / "m.csv", "工单编号,渠道\nX,电话\n")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 1
    assert "缺少必需的列“创建时间”" in r.output and "工单编号、渠道" in r.output and "“字段映射”表" in r.output
    r = runner.invoke(cli, ["--lang", "en", "import", str(book), str(src), "--into", "tickets"])
    assert "Required column “Created at” is missing" in r.output and "row 1 of m.csv" in r.output


def test_check_reports_bad_pasted_cells_with_sheet_and_row(book, runner, cli, tmp_path):
    import pandas as pd

    from pyaddin.ooxml import tables as ox

    with FileBook(book) as b:  # simulate a paste: raw text straight into the sheet
        loc = b.loc(TICKETS)
        cols = [ox.Column(h, pd.Series([v], dtype=object), False) for h, v in zip(
            loc.columns, ["P1", "2026-13-45", "电话", "客服中心", "", "", "", "", "", "", "", "", ""])]
        ox.write_rows(b.pkg, loc, cols)
        b.pkg.save(backup=False)
    r = runner.invoke(cli, ["check", str(book)])
    assert r.exit_code == 1
    assert "工单数据 列“创建时间”:无法识别的日期时间,共1处:第2行“2026-13-45”" in r.output
