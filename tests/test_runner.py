"""The runner: one writer at a time, no lost update, nothing outside an action's writes changes."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import NOTE_COLUMN, ROOT, parts, user_book
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.build.workbook import build_book
from pyaddin.context import Context
from pyaddin.errors import QBError
from pyaddin.lock import BookLock, lock_path, temp_prefix
from pyaddin.registry import ACTIONS
from pyaddin.runner import run_file

SAMPLES = ROOT / "samples"


def halves(tmp_path):
    """The sample tickets split in two exports with different ids."""
    lines = (SAMPLES / "tickets.csv").read_text(encoding="utf-8-sig").splitlines()
    head, body = lines[0], lines[1:]
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("\n".join([head, *body[:2000]]) + "\n", encoding="utf-8")
    b.write_text("\n".join([head, *body[2000:]]) + "\n", encoding="utf-8")
    return a, b


def cli(*args, env=None):
    return subprocess.Popen([sys.executable, "-m", "pyaddin", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def test_two_imports_at_once_both_land_or_one_is_refused_clearly(book, tmp_path):
    a, b = halves(tmp_path)
    p1, p2 = cli("import", book, a, "--into", "tickets"), cli("import", book, b, "--into", "tickets")
    outs = [p.communicate(timeout=120) for p in (p1, p2)]
    codes = [p1.returncode, p2.returncode]
    for out, err in outs:
        assert "Traceback" not in out + err and "BadZipFile" not in out + err
    with FileBook(book) as bk:
        ids = set(bk.read(schema.TICKETS).data["ticket_id"])
    if codes == [0, 0]:
        assert len(ids) == 4000  # the second waited for the first and appended after it
    else:
        assert sorted(codes) == [0, 2] and len(ids) == 2000
        refused = outs[codes.index(2)]
        assert "正由" in refused[1]


def test_a_busy_book_is_refused_naming_who_holds_it(book, tmp_path):
    a, _ = halves(tmp_path)
    before = book.read_bytes()
    with BookLock(book, "collect"):
        p = cli("import", book, a, "--into", "tickets", env={"QUALITYBOOK_LOCK_WAIT": "0.5"})
        out, err = p.communicate(timeout=60)
    assert p.returncode == 2 and "Traceback" not in err
    assert "正由" in err and "collect" in err and "未做任何修改" in err
    assert book.read_bytes() == before


def test_a_book_saved_by_someone_else_meanwhile_is_not_overwritten(book, tmp_path):
    a, _ = halves(tmp_path)
    with FileBook(book) as b:
        b.write(schema.KPI, b.read(schema.KPI).data)
        time.sleep(0.01)
        other = tmp_path / "other.xlsm"
        shutil.copy(ROOT / "qualitybook.xlsm", other)
        os.replace(other, book)  # another writer's save lands first
        theirs = book.read_bytes()
        with pytest.raises(QBError) as e:
            b.save()
    assert e.value.key == "book_changed" and book.read_bytes() == theirs
    assert not list(book.parent.glob(temp_prefix(book) + "*"))


def test_a_killed_runs_temporary_file_is_removed_by_the_next_run(book, tmp_path):
    stale = book.with_name(temp_prefix(book) + "abc123.tmp")
    stale.write_bytes(b"half a zip")
    a, _ = halves(tmp_path)
    out = run_file("import_tickets", book, Context(), path=a)
    assert out.exit_code == 0 and not stale.exists()
    assert lock_path(book).exists()  # the lock file stays; removing it under a waiter would let two in


READY_OPTIONS = {  # what each ready action needs to run headless on the user's book, in this order
    "import_tickets": {"path": SAMPLES / "tickets.csv"},
    "import_surveys": {"path": SAMPLES / "surveys.csv"},
    "import_inspections": {"path": SAMPLES / "inspections.xlsx"},
    "import_calls": {"path": SAMPLES / "calls.csv"},
    "config": {"pairs": (("sla_clock", "working"),)},
    "import_calendar": {"path": SAMPLES / "calendar.csv"},
    "import_staff": {"path": SAMPLES / "staff.csv"},
    "import_responsibility": {"path": SAMPLES / "responsibility.csv"},
    "import_feedback": {"path": SAMPLES / "feedback.csv"},
    "import_highlights": {"path": SAMPLES / "highlights.csv"},
    "check": {},
    "kpi": {},
    "pareto": {"quarter": "2026Q3"},
    "alerts": {},
    "due": {"as_of": "2026-09-25"},
    "sample": {"period": "2026-09"},
    "record_audit": {},
    "calibrate": {},
    "problems": {"quarter": "2026Q3"},
    "import_rootcause": {"path": SAMPLES / "rootcause.csv"},
    "import_plan": {"path": SAMPLES / "plan.csv"},
    "adopt_feedback": {"every": True},
    "fishbone": {"problem": "P001"},
    "plan": {"as_of": "2026-10-01"},
    "verify": {},
    "distribute": {"outdir": "sent"},  # folders under the test's tmp_path
    "collect": {"paths": ["returned"]},  # a department's return, made in the test after the distribution
    "approve_extension": {},
    "appraise": {"quarter": "2026Q3"},
    "propose_highlights": {"period": "2026-09"},
    "report": {"period": "2026-09"},
    "import_problems": {"path": None},  # a small list made in the test
}


def allowed_parts(book, table_names):
    """The parts an action writing ``table_names`` may change: their sheets and table parts, the log's, and
    what hangs off those sheets (their drawings, the charts and pictures in them); and the package's list of
    content types when a part is added."""
    from pyaddin.ooxml.package import Package
    from pyaddin.ooxml.tables import REL_DRAWING, relationships, rels_part, tables

    with Package(book) as pkg:
        locs = tables(pkg)
        out = {"[Content_Types].xml"}
        for name in (*table_names, schema.LOG.name):
            loc = locs[name]
            out |= {loc.sheet_part, loc.table_part, rels_part(loc.sheet_part)}
            for _, typ, drawing in relationships(pkg, loc.sheet_part):
                if typ == REL_DRAWING:
                    out |= {drawing, rels_part(drawing)} | {t for _, _, t in relationships(pkg, drawing)}
    return out


def score_one(book: Path) -> None:
    """A reviewer's scores for the first sampled ticket, as typed on 抽样质检."""
    with FileBook(book) as b:
        audit = b.read(schema.AUDIT).data
        first = audit["ticket_id"] == audit["ticket_id"].iloc[0]
        audit.loc[first, "score"] = audit.loc[first, "max_score"]
        audit.loc[first, "reviewer"] = "李审"
        b.write(schema.AUDIT, audit)
        b.save(backup=False)


def return_one(sent: Path, returned: Path) -> None:
    """The technical department's file back, its action moved forward."""
    src = next(p for p in sent.iterdir() if p.stem.endswith("_技术部"))
    wb = openpyxl.load_workbook(src)
    ws = wb["改进计划"]
    ws.cell(row=2, column=[c.value for c in ws[1]].index("进度%") + 1, value=90)
    wb.properties.lastModifiedBy = "张工"
    returned.mkdir()
    wb.save(returned / src.name)


class ReadRecorder:
    """The tables an action itself asks the book for.  Not the action's: reads made inside another read, the
    header mapping, settings and value mapping every data table is parsed with (the runner reads those ahead
    for any action that reads data), and the runner's log row."""

    def __init__(self, monkeypatch):
        from functools import cached_property

        from pyaddin.book import TableBook

        self.tables: set[str] = set()
        self.depth = 0
        for name in ("read", "read_many", "rows"):  # rows: a table for the engine, from its columnar copy
            monkeypatch.setattr(FileBook, name, self.wrap(getattr(FileBook, name)))
        for name in ("log", "mapping"):
            monkeypatch.setattr(FileBook, name, self.wrap(getattr(FileBook, name), record=False))
        for name in ("options", "settings"):
            prop = cached_property(self.wrap(getattr(TableBook, name).func, record=False))
            prop.__set_name__(FileBook, name)
            monkeypatch.setattr(FileBook, name, prop)

    def wrap(self, real, record=True):
        def recorded(book, *args, **k):
            if record and self.depth == 0:
                tables = args[0]
                self.tables |= {t.name for t in (tables if isinstance(tables, list) else [tables])}
            self.depth += 1
            try:
                return real(book, *args, **k)
            finally:
                self.depth -= 1
        return recorded


# reads that only some options make (the exercise below runs them with those options)
CONDITIONAL_READS = {**{name: {"tbl_mapping", "tbl_value_mapping"}  # with --map/--value (one importer)
                        for name in ACTIONS if name.startswith("import_")},
                     "problems": {"tbl_surveys", "tbl_inspections", "tbl_calls"},  # --from-alerts
                     "collect": {"tbl_tickets", "tbl_surveys", "tbl_standards", "tbl_calendar"}}  # an action returned as done
CONDITIONAL_RUNS = {"problems": {"from_alerts": True},
                    "import_tickets": {"path": SAMPLES / "tickets.csv", "replace": True,
                                       "maps": [("工单编号", "工单编号")], "values": [("渠道", "电话", "phone")]}}


def test_every_ready_action_reads_and_changes_nothing_outside_what_it_declares(tmp_path, monkeypatch):
    from pyaddin.ooxml import sheetdata

    monkeypatch.setattr(sheetdata, "CHUNK_ROWS", 1000)  # notes fall in several chunks of the streamed writer
    reads = ReadRecorder(monkeypatch)
    book = user_book(tmp_path)
    ready = list(ACTIONS.values())
    assert set(READY_OPTIONS) == {a.name for a in ready}, "a new action needs its options here"
    own = tmp_path / "problems.csv"
    own.write_text("问题编号,问题描述,来源,状态\nP900,门店排队时间长,手工,待分析\n", encoding="utf-8-sig")
    for a in sorted(ready, key=lambda a: list(READY_OPTIONS).index(a.name)):
        if a.name == "collect":
            return_one(tmp_path / "sent", tmp_path / "returned")
        if a.name == "record_audit":
            score_one(book)
        before = parts(book)
        options = {k: (own if v is None else tmp_path / v if k == "outdir" else [tmp_path / p for p in v]
                       if k == "paths" else v) for k, v in READY_OPTIONS[a.name].items()}
        reads.tables = set()
        out = run_file(a.name, book, Context(), **options)
        assert out.exit_code == 0, (a.name, out.key, out.details[:3])
        declared = set(a.reads) - CONDITIONAL_READS.get(a.name, set())
        assert declared <= reads.tables <= set(a.reads), (a.name, "undeclared:", reads.tables - set(a.reads),
                                                          "never read:", declared - reads.tables)
        after = parts(book)
        changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)}
        allowed = allowed_parts(book, a.writes) if a.writes else set()
        assert changed <= allowed, (a.name, changed - allowed)
        if a.writes and out.key not in ("record_none", "no_extension_requests"):  # nothing to record, to approve
            assert changed, a.name
    for name, options in CONDITIONAL_RUNS.items():  # the reads some options make are declared and made
        reads.tables = set()
        assert run_file(name, book, Context(), **options).exit_code == 0, name
        assert CONDITIONAL_READS[name] <= reads.tables <= set(ACTIONS[name].reads), (name, reads.tables)
    wb = openpyxl.load_workbook(book)
    ws = wb["工单数据"]
    assert ws[f"{NOTE_COLUMN}2"].value == "备注:本表由客服中心维护" and ws[f"{NOTE_COLUMN}3"].value == 42  # notes stay
    assert ws["A4002"].value == "合计" and ws["B4002"].value == "=SUBTOTAL(103,tbl_tickets[工单编号])"  # moved down
    assert ws.tables["tbl_tickets"].ref == f"A1:{get_column_letter(len(schema.TICKETS.fields))}4001"


def test_a_note_where_the_table_would_grow_is_not_overwritten(tmp_path):
    beside = get_column_letter(len(schema.TICKETS.fields) + 1)  # just right of the table
    book = build_book(tmp_path / "b.xlsm", "zh", lambda wb: wb["工单数据"].__setitem__(f"{beside}1", "我的列"))
    before = book.read_bytes()
    csv = tmp_path / "extra.csv"
    csv.write_text("工单编号,创建时间,责任部门,外部编号\nT1,2026-09-01 08:00,客服中心,X1\n", encoding="utf-8")
    with pytest.raises(QBError) as e:
        run_file("import_tickets", book, Context(), path=csv)
    assert e.value.key == "cell_in_the_way" and f"{beside}1" in e.value.say()
    assert book.read_bytes() == before
