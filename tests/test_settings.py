"""`qualitybook config`: settings of 监控标准 set from the command line, each checked by its type."""
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.core.kpi import Standards
from pyaddin.settings import Hours


def _std(path) -> Standards:
    with FileBook(path) as b:
        return Standards.from_table(b.read(schema.STANDARDS).data)


def test_a_new_book_carries_every_default_of_the_domain(book):
    std = _std(book)
    assert std.setting("sla_clock") == "calendar"
    assert std.setting("working_hours") == Hours(9 * 60, 18 * 60)
    assert std.setting("working_days") == frozenset(range(5))
    assert std.setting("service_hours_phone") is None  # blank: the working hours
    assert (std.setting("short_abandon_s"), std.setting("service_level_s"), std.setting("complaint_first_response_min"),
            std.setting("complaint_resolution_days"), std.setting("visit_grace_min")) == (0, 30, 120, 3, 15)
    with FileBook(book) as b:
        d = b.read(schema.STANDARDS).data.set_index("key")
    assert d.loc["sla_clock", "text"] == "日历时间" and d.loc["working_days", "text"] == "周一至周五"


def test_config_sets_several_settings_at_once_and_reads_them_back(runner, cli, book):
    r = runner.invoke(cli, ["config", str(book), "sla_clock=working", "工作时间段=08:30-17:30",
                            "working_days=周一至周六", "service_hours_phone=7×24小时", "service_level_s=20"])
    assert r.exit_code == 0, r.output
    assert "日历时间 → 工作时间" in r.output and "— → 7×24小时" in r.output
    std = _std(book)
    assert std.setting("sla_clock") == "working"
    assert std.setting("working_hours") == Hours(8 * 60 + 30, 17 * 60 + 30)
    assert std.setting("working_days") == frozenset(range(6))
    assert std.setting("service_hours_phone").all_week
    assert std.setting("service_level_s") == 20 and std.settings["service_level_s"] == 20
    with FileBook(book) as b:
        d = b.read(schema.STANDARDS).data
    assert len(d[d["key"] == "sla_clock"]) == 1  # set in place, not appended twice
    assert d.loc[d["key"] == "service_hours_phone", "text"].tolist() == ["7×24小时"]


def test_an_unknown_key_or_a_bad_value_changes_nothing_and_says_what_is_allowed(runner, cli, book):
    before = book.read_bytes()
    r = runner.invoke(cli, ["config", str(book), "sla_clock=working", "sla_clok=working"])
    assert r.exit_code == 2 and "sla_clok" in r.output and "sla_clock" in r.output and "working_hours" in r.output
    r = runner.invoke(cli, ["--lang", "en", "config", str(book), "sla_clock=sometimes"])
    assert r.exit_code == 2 and "calendar" in r.output and "working" in r.output
    for bad in ("working_hours=18:00-09:00", "working_days=mon-xyz", "service_level_s=0", "short_abandon_s=-1",
                "appraisal_min_tickets=2.5"):
        r = runner.invoke(cli, ["config", str(book), bad])
        assert r.exit_code == 2 and bad.split("=")[0] in r.output, (bad, r.output)
    assert book.read_bytes() == before


def test_the_english_book_writes_its_settings_and_calendar_in_english():
    from conftest import ROOT

    path = ROOT / "templates" / "qualitybook_en.xlsm"
    with FileBook(path) as b:
        d = b.raw(schema.STANDARDS)[0]
        cal = b.raw(schema.CALENDAR)[0]
    texts = dict(zip(d["Key"], d["Setting"]))
    assert (texts["sla_clock"], texts["working_hours"], texts["working_days"]) == ("Calendar time", "09:00-18:00",
                                                                                   "Mon-Fri")
    assert set(cal["Kind"]) == {"Holiday", "Make-up workday"} and cal["Note"].str.contains("example").all()
    std = _std(path)
    assert std.setting("working_days") == frozenset(range(5)) and std.setting("sla_clock") == "calendar"


def test_the_settings_that_are_names_are_set_by_config_and_read_where_they_are_used(runner, cli, book, tmp_path):
    """default_department and quality_contact are text settings like the others: in 取值, set by ``config``."""
    with FileBook(book) as b:
        d = b.read(schema.STANDARDS).data.set_index("key")
    assert d.loc["quality_contact", "text"] == "质量监控部" and not isinstance(d.loc["default_department", "text"], str)
    r = runner.invoke(cli, ["config", str(book), "default_department=客服中心", "quality_contact=王芳 8001"])
    assert r.exit_code == 0, r.output
    assert "— → 客服中心" in r.output and "质量监控部 → 王芳 8001" in r.output
    with FileBook(book) as b:
        assert b.text_settings["quality_contact"] == "王芳 8001"
        from pyaddin.ops.departments import quality_contact

        assert quality_contact(b) == "王芳 8001"
    src = tmp_path / "d.csv"
    src.write_text("工单编号,创建时间\nT1,2026-09-01 08:00\n", encoding="utf-8")
    r = runner.invoke(cli, ["import", str(book), str(src), "--into", "tickets"])
    assert r.exit_code == 0, r.output  # no department column: the default department set by config fills it
    with FileBook(book) as b:
        assert b.read(schema.TICKETS).data["department"].tolist() == ["客服中心"]
