"""CLI conventions: help everywhere, exit codes, RunFrozenPython's arguments, errors as messages."""

from pyaddin.book import FileBook
from pyaddin.context import Context
from pyaddin.excel import run_in_book
from pyaddin.registry import ACTIONS


def test_every_command_has_help(runner, cli):
    for name, cmd in cli.commands.items():
        r = runner.invoke(cli, [name, "--help"])
        assert r.exit_code == 0 and cmd.help and len(cmd.help) > 20, name


def test_usage_errors_exit_2(runner, cli, book):
    assert runner.invoke(cli, ["import", str(book), "x.csv"]).exit_code == 2  # --into missing
    r = runner.invoke(cli, ["import", str(book), "nope.csv", "--into", "tickets"])
    assert r.exit_code == 2 and "找不到文件" in r.output


def test_run_accepts_the_arguments_run_frozen_python_appends(runner, cli):
    r = runner.invoke(cli, ["run", "no_such_action", '--wb=质量.xlsm', "--from_xl=1",
                            "--app=C:\\Program Files\\Microsoft Office\\EXCEL.EXE", "--hwnd=1234"])
    assert r.exit_code == 2 and "unknown action 'no_such_action'" in r.output and "Traceback" not in r.output


def test_new_builds_a_workbook_in_either_language(runner, cli, tmp_path):
    for lang, sheet in (("zh", "工单数据"), ("en", "Tickets")):
        p = tmp_path / f"{lang}.xlsm"
        assert runner.invoke(cli, ["new", str(p), "--lang", lang]).exit_code == 0
        with FileBook(p) as b:
            assert b.locs["tbl_tickets"].sheet == sheet and b.lang == lang
    assert runner.invoke(cli, ["new", str(tmp_path / "zh.xlsm")]).exit_code == 2  # exists


def test_an_error_from_the_ribbon_is_a_chinese_message_box_not_a_traceback(book, tmp_path):
    shown = []
    ctx = Context(surface="excel", ask_file=lambda title: str(tmp_path / "missing.csv"))
    with FileBook(book) as b:
        code = run_in_book("import_tickets", b, ctx, lambda msg, title: shown.append((title, msg)))
    title, msg = shown[0]
    assert code == 2 and title == "QualityBook 出错"
    assert msg.startswith("找不到文件") and "File not found" not in msg and "Traceback" not in msg  # one language
    assert "qualitybook.log" in msg


def test_an_unexpected_error_points_to_the_log(book, monkeypatch):
    shown = []
    with FileBook(book) as b:
        monkeypatch.setattr(b, "read", lambda *a, **k: 1 / 0)
        run_in_book("check", b, Context(surface="excel"), lambda msg, title: shown.append(msg))
    assert "发生了意外错误" in shown[0] and "ZeroDivisionError" in shown[0] and "Traceback" not in shown[0]


def test_every_message_has_both_languages_and_is_used():
    from pathlib import Path

    from pyaddin.locale import en, zh

    assert set(zh.MESSAGES) == set(en.MESSAGES) and set(zh.ACTIONS) == set(en.ACTIONS) == set(ACTIONS)
    code = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parents[1].joinpath("pyaddin").rglob("*.py")
                     if "locale" not in p.parts)
    def used(k):  # literally, or as a family chosen at run time: f"order_{reason}"
        parts = k.split("_")
        return f'"{k}"' in code or any(f'f"{"_".join(parts[:i])}_{{' in code for i in range(1, len(parts)))
    assert [k for k in zh.MESSAGES if not used(k)] == []


def test_check_reports_a_root_cause_of_an_unknown_problem(book, runner, cli, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["根因分析"]
    ws["A2"], ws["B2"], ws["C2"] = "P009", "人", "新员工培训不足"
    wb.save(book)
    r = runner.invoke(cli, ["check", str(book)])
    assert r.exit_code == 1 and "P009" in r.output and "在“问题清单”中找不到此编号" in r.output
    r = runner.invoke(cli, ["--lang", "en", "check", str(book)])
    assert r.exit_code == 1 and "no such id in “Problems”" in r.output and "问题清单" not in r.output

