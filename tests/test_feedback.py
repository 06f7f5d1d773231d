"""一线反馈 (issue 23): the frontline's entries imported, added by departments on their returned workbooks and
collected once, and a suggestion or a process problem turned into a problem of the list."""
import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT, libreoffice, write_csv
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.context import Context
from pyaddin.errors import QBError
from pyaddin.runner import run_file

SAMPLES = ROOT / "samples"
SENT_AT = dt.datetime(2026, 10, 1, 9, 0)


def ctx(at=SENT_AT):
    return Context(clock=lambda: at, user="质量部小王")


def master(tmp_path):
    book = tmp_path / "master.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    problems = write_csv(tmp_path / "problems.csv", "问题编号,问题描述,来源,责任部门,状态\n"
                                                    "P001,夜间物流咨询响应慢,帕累托,客服中心,改进中\n")
    assert run_file("import_problems", book, ctx(), path=problems).exit_code == 0
    return book


def feedback(book) -> pd.DataFrame:
    with FileBook(book) as b:
        return b.read(schema.FEEDBACK).data


def test_the_frontlines_log_imports_without_mapping(tmp_path):
    book = master(tmp_path)
    out = run_file("import_feedback", book, ctx(), path=SAMPLES / "feedback.csv")
    assert out.exit_code == 0, out.details
    f = feedback(book)
    assert list(f["feedback_id"]) == [f"F{i:03d}" for i in range(1, 7)]
    assert f["kind"].tolist() == ["suggestion", "process", "daily_log", "highlight", "process", "suggestion"]
    assert f.loc[0, "date"] == pd.Timestamp("2026-09-02") and f.loc[0, "department"] == "客服中心"
    assert f["status"].eq("new").all() and f["problem_id"].isna().all()


def test_a_department_adds_entries_on_its_workbook_and_a_second_collect_adds_none(tmp_path):
    book = master(tmp_path)
    assert run_file("distribute", book, ctx(), outdir=tmp_path / "sent", deadline="2026-10-15").exit_code == 0
    src = next((tmp_path / "sent").iterdir())
    sheet = schema.FEEDBACK.sheet("zh")
    assert openpyxl.load_workbook(src)[sheet]["A1"].value == "日期"
    back = tmp_path / "back" / src.name
    back.parent.mkdir()
    day = (dt.date(2026, 10, 9) - dt.date(1899, 12, 30)).days  # typed as a date: a serial in a date cell
    facts = libreoffice("fill", src, back, sheet, f"A2={day}", "B2=张娜", "C2=改进建议",
                        "D2=退货话术客户听不懂,建议修改", "A3=2026-10-10", "B3=李强", "C3=服务日志",
                        "D3=今日来电平稳", "A4=明天", "B4=王伟", "C4=流程问题", "D4=日期写错的一行")
    assert facts["protected"] is True and not any(facts["locked"].values())
    assert facts["validation"]["C2"] == "LIST" and facts["validation"]["A2"] == "DATE"
    out = run_file("collect", book, ctx(SENT_AT + dt.timedelta(days=9)), paths=[back])
    f = out.data["files"][0]
    assert [a["id"] for a in f["added"]] == ["F001", "F002"] and out.kw["added"] == 2
    assert [r["id"] for r in f["rejected"]] == ["#4"] and "明天" in f["rejected"][0]["reason"]
    got = feedback(book)
    assert got[["feedback_id", "person", "department", "kind", "status"]].values.tolist() == [
        ["F001", "张娜", "客服中心", "suggestion", "new"], ["F002", "李强", "客服中心", "daily_log", "new"]]
    assert got.loc[0, "date"] == pd.Timestamp("2026-10-09") and got.loc[0, "text"] == "退货话术客户听不懂,建议修改"
    assert got["origin"].str.len().eq(16).all() and got["origin"].nunique() == 2
    with FileBook(book) as b:
        log = b.read(schema.LOG).data
    added = log[(log["action"] == "collect") & (log["target"] == sheet)]
    assert added["row"].tolist() == ["F001", "F002"] and set(added["department"]) == {"客服中心"}

    again = run_file("collect", book, ctx(SENT_AT + dt.timedelta(days=10)), paths=[back])
    assert again.data["files"][0]["added"] == [] and again.kw["added"] == 0
    assert len(feedback(book)) == 2


def test_a_master_made_before_feedback_keeps_the_entries_in_the_return_and_says_so(tmp_path):
    """A master from the previous version has no 一线反馈 table: the department's entries are not dropped in
    silence — the file is partly received, the reason says where they are and how to merge them."""
    book = master(tmp_path)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    del wb[schema.FEEDBACK.sheet("zh")].tables["tbl_feedback"]
    wb.save(book)
    assert run_file("distribute", book, ctx(), outdir=tmp_path / "sent", deadline="2026-10-15").exit_code == 0
    src = next((tmp_path / "sent").iterdir())
    back = tmp_path / "back" / src.name
    back.parent.mkdir()
    wb = openpyxl.load_workbook(src)
    ws = wb[schema.FEEDBACK.sheet("zh")]
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = dt.datetime(2026, 10, 9), "张娜", "改进建议", "退货话术客户听不懂"
    wb.save(back)
    out = run_file("collect", book, ctx(SENT_AT + dt.timedelta(days=9)), paths=[back])
    f = out.data["files"][0]
    assert f["status"] == "partly" and f["added"] == [] and out.exit_code == 1
    reason = next(r["reason"] for r in f["rejected"] if r["table"] == "feedback")
    assert "1条新反馈" in reason and "较早的版本" in reason and "仍保留在交回文件中" in reason


def test_a_suggestion_becomes_a_problem_linked_both_ways(tmp_path):
    book = master(tmp_path)
    assert run_file("import_feedback", book, ctx(), path=SAMPLES / "feedback.csv").exit_code == 0
    out = run_file("adopt_feedback", book, ctx(), ids=["F001", "F002"])
    assert out.exit_code == 0 and out.data == [{"feedback_id": "F001", "problem_id": "P002"},
                                               {"feedback_id": "F002", "problem_id": "P003"}]
    with FileBook(book) as b:
        problems = b.read(schema.PROBLEMS).data.set_index("problem_id")
    p = problems.loc["P002"]
    assert p["source"] == "feedback" and p["owner_department"] == "客服中心" and p["status"] == "open"
    assert "退货政策的话术客户听不懂" in p["description"] and "改进建议" in p["description"]
    assert p["origin"] == "一线反馈 · F001" and p["created_at"] == pd.Timestamp("2026-10-01")
    assert problems.loc["P003", "owner_department"] == "售后服务部"
    f = feedback(book).set_index("feedback_id")
    assert f.loc["F001", "problem_id"] == "P002" and f.loc["F001", "status"] == "adopted"
    assert f.loc["F003", "status"] == "new" and pd.isna(f.loc["F003", "problem_id"])

    before = book.read_bytes()
    for ids, key in ((["F001"], "feedback_not_adoptable"), (["F003"], "feedback_not_adoptable"),
                     (["F099"], "no_such_feedback")):
        with pytest.raises(QBError) as e:
            run_file("adopt_feedback", book, ctx(), ids=ids)
        assert e.value.key == key
    assert book.read_bytes() == before  # a refusal changes nothing
    rest = run_file("adopt_feedback", book, ctx(), every=True)
    assert [d["feedback_id"] for d in rest.data] == ["F005", "F006"]  # the daily log and the good case stay
    assert run_file("adopt_feedback", book, ctx(), every=True).key == "feedback_none"


@pytest.mark.parametrize("path, lang", [(ROOT / "qualitybook.xlsm", "zh"), (ROOT / "templates" / "qualitybook_en.xlsm", "en")])
def test_both_books_carry_feedback_and_highlights_in_their_language_in_the_loops_order(path, lang):
    wb = openpyxl.load_workbook(path)
    for t in (schema.FEEDBACK, schema.HIGHLIGHTS):
        ws = wb[t.sheet(lang)]
        assert t.name in ws.tables
        assert [c.value for c in ws[1]][:len(t.fields)] == [f.label(lang) for f in t.fields]
    names = wb.sheetnames
    assert names.index(schema.CALLS.sheet(lang)) < names.index(schema.FEEDBACK.sheet(lang)) \
        < names.index(schema.KPI_CARDS.sheet(lang))  # collected with the other data, analysed after
    assert names.index(schema.APPRAISAL.sheet(lang)) < names.index(schema.HIGHLIGHTS.sheet(lang))
    assert ("Feedback" if lang == "en" else "一线反馈") in names


def test_good_cases_are_proposed_once_from_praise_full_marks_and_better_signals(tmp_path, runner, cli):
    """提取亮点 on the sample data's September: the first ten 5-star comments and full-mark inspections of the month,
    each with its date, channel, department, agent and ticket; the second run proposes nothing new."""
    import json

    from conftest import sample_book

    book = sample_book(tmp_path / "book.xlsm")
    full_marks = write_csv(tmp_path / "qa.csv", "质检编号,质检时间,方式,责任部门,处理人,工单编号,检查项,得分,满分,关键项\n"
                                                "QFULL,2026-09-18 10:00,工单抽查,客服中心,王伟,T20260003000,礼貌用语,10,10,否\n"
                                                "QFULL,2026-09-18 10:00,工单抽查,客服中心,王伟,T20260003000,信息安全,20,20,是\n")
    assert runner.invoke(cli, ["import", str(book), str(full_marks), "--into", "inspections"]).exit_code == 0
    r = runner.invoke(cli, ["highlights", str(book), "--period", "2026-09", "--json"])
    assert r.exit_code == 0, r.output
    got = pd.DataFrame(json.loads(r.output))
    with FileBook(book) as b:
        s, i = b.read(schema.SURVEYS).data, b.read(schema.INSPECTIONS).data
    sept = s[(s["submitted_at"] >= "2026-09-01") & (s["submitted_at"] < "2026-10-01")]
    praised = sept[(sept["csat"] == 5) & sept["comment"].notna()].sort_values("submitted_at", kind="stable").head(10)
    five = got[got["source"] == "five_star"]
    assert list(five["ticket_id"]) == list(praised["ticket_id"]) and (five["score"] == 5).all()
    assert list(five["comment"]) == list(praised["comment"]) and five["department"].notna().all()
    assert five["date"].tolist() == [d.date().isoformat() for d in praised["submitted_at"]]
    i = i[(i["inspected_at"] >= "2026-09-01") & (i["inspected_at"] < "2026-10-01")]
    whole = i.groupby("inspection_id", sort=False).agg(score=("score", "sum"), top=("max_score", "sum"))
    full = whole.index[whole["score"] == whole["top"]][:10]  # the sample's critical item fails only below its max
    marks = got[got["source"] == "full_mark"]
    assert len(marks) == len(full) > 0 and all(f"质检编号{x}" in w for x, w in zip(full, marks["what"]))
    ours = marks[marks["what"].str.contains("QFULL")].iloc[0]  # the sample's own inspections all lose a point
    assert (ours["date"], ours["department"], ours["agent"], ours["ticket_id"], ours["score"]) == (
        "2026-09-18", "客服中心", "王伟", "T20260003000", 100)
    with FileBook(book) as b:
        kept = b.read(schema.HIGHLIGHTS).data
    assert len(kept) == len(got) and set(kept["source"]) <= {"five_star", "full_mark", "better_signal"}
    again = runner.invoke(cli, ["highlights", str(book), "--period", "2026-09"])
    assert again.exit_code == 0 and "没有可新增的亮点候选" in again.output
