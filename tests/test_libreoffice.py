"""LibreOffice as the real spreadsheet client: it opens our files, finds the VBA and runs RunAction.

xlwings' two standalone modules (``xlwings`` and its ``Dictionary`` class) are Windows/Mac Excel
code that LibreOffice Basic cannot compile (a compile error there stops every macro of the
project), so the copy that runs macros swaps both for stubs that record what they were asked; and since a
message box cannot be read there and there is no WScript.Shell, the module that shows QualityBook's messages and
runs its command lines for one that records the messages and runs the same command line through sh.
"""
import os
import shutil
import sys

from conftest import ROOT, libreoffice
from pyaddin.build.vba import replace_modules
from pyaddin.registry import ACTIONS

STUB = '''Attribute VB_Name = "xlwings"
' Test stub for the Windows-only xlwings module: records what QualityBook asked Python to do.
Public Function RunPython(PythonCommand As String)
    QB_Record "RunPython", PythonCommand
End Function

Public Function RunFrozenPython(Executable As String, Optional Args As String)
    QB_Record "RunFrozenPython", Executable & "|" & Args
End Function

Function GetConfig(configKey As String, Optional default As String = "", Optional source As String = "") As Variant
    ' xlwings reads its settings from the xlwings.conf sheet (and files); the stub from the rows the test set
    Dim r As Long
    GetConfig = default
    For r = 1 To 50
        If LCase(ThisWorkbook.Worksheets("_xlwings.conf").Cells(r, 1).Value) = LCase(configKey) Then
            GetConfig = ThisWorkbook.Worksheets("_xlwings.conf").Cells(r, 2).Value
        End If
    Next r
End Function

Public Sub QB_Record(what As String, detail As String)
    ThisWorkbook.Worksheets("_xlwings.conf").Range("D1").Value = what
    ThisWorkbook.Worksheets("_xlwings.conf").Range("D2").Value = detail
End Sub
'''


MESSAGE_STUB = '''Attribute VB_Name = "QBMessage"
Public Sub QB_Show(ByVal message As String)
    QB_Record "MsgBox", message
End Sub

Public Function QB_ExitCode(ByVal command As String) As Long
    ' the same command line through sh, waited for; its exit code left in a file beside the book
    Dim script As String, code As String, n As Integer
    script = ThisWorkbook.Path & "/qb_command"
    n = FreeFile
    Open script & ".sh" For Output As #n
    Print #n, command & "; echo $? > " & script & ".exit"
    Close #n
    Shell "/bin/sh", 0, script & ".sh", True
    n = FreeFile
    Open script & ".exit" For Input As #n
    Line Input #n, code
    Close #n
    QB_ExitCode = CLng(code)
End Function
'''


def interpreter(path, imports: bool, calls=None):
    """A python.exe that exists: this environment's Python (which has the package and xlwings), or the system's
    isolated from everything but its standard library (which has neither); each start noted in ``calls``."""
    note = f"echo started >> {calls}\n" if calls else ""
    python = sys.executable if imports else "/usr/bin/python3 -I"
    path.write_text(f"#!/bin/sh\n{note}exec {python} \"$@\"\n")
    path.chmod(0o755)
    return path


def stub_xlwings(target):
    replace_modules(ROOT / "qualitybook.xlsm", target,
                    {"xlwings": STUB.replace("\n", "\r\n"), "Dictionary": "Option Explicit\r\n",
                     "QBMessage": MESSAGE_STUB.replace("\n", "\r\n")})


def said(key: str, detail: str) -> str:
    """A message box of the VBA: the locale's text in Chinese, then English, then what it is about."""
    from pyaddin.locale import text

    return f"{text(key, 'zh')}\n{text(key, 'en')}\n\n{detail}"


def test_committed_workbook_opens_and_libreoffice_finds_the_vba_modules():
    libs = libreoffice("modules", ROOT / "qualitybook.xlsm")["libraries"]
    assert {"QualityBook", "xlwings", "Dictionary", "ThisWorkbook"} <= set(libs["VBAProject"])


def test_run_action_calls_python_with_each_ribbon_action(tmp_path):
    stubbed = tmp_path / "stubbed.xlsm"
    stub_xlwings(stubbed)
    started = tmp_path / "started.txt"
    python = interpreter(tmp_path / "python.exe", imports=True, calls=started)
    actions = list(ACTIONS)
    got = libreoffice("run", stubbed, *actions, f"Interpreter_Win={python}")
    for name in actions:
        kind, command = got[name]
        assert kind == "RunPython"
        assert command == f"import pyaddin.excel; pyaddin.excel.run_action('{name}')"
    assert started.read_text().splitlines() == ["started"]  # the import checked once in the session, not per click


def test_a_python_without_the_package_gets_our_message_not_xlwings_error(tmp_path):
    """Python is there but cannot import pyaddin and xlwings (never pip-installed into it): the button runs it
    hidden with that import first and says, in both languages, what to do; RunPython is never called, so xlwings'
    own error box with its traceback never shows.  Asked again at the next click (the user may have installed it)."""
    stubbed = tmp_path / "stubbed.xlsm"
    stub_xlwings(stubbed)
    started = tmp_path / "started.txt"
    (tmp_path / "Python312").mkdir()
    bare = interpreter(tmp_path / "Python312" / "python.exe", imports=False, calls=started)
    got = libreoffice("run", stubbed, "kpi", "pareto", f"Interpreter_Win={bare}")
    assert got["kpi"] == got["pareto"] == ["MsgBox", said("vba_no_package", str(bare))]
    assert started.read_text().splitlines() == ["started", "started"]


def test_run_action_prefers_the_packaged_executable(tmp_path):
    stubbed = tmp_path / "stubbed.xlsm"
    stub_xlwings(stubbed)
    exe = tmp_path / "qualitybook.exe"
    exe.write_bytes(b"MZ")
    kind, command = libreoffice("frozen", stubbed, exe, "kpi")
    assert kind == "RunFrozenPython"
    assert command == f"{exe}|run kpi"


def test_imported_data_reads_back_in_libreoffice(tmp_path, runner, cli):
    book = tmp_path / "b.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    assert runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "surveys.csv"), "--into", "surveys"]).exit_code == 0
    rows = libreoffice("cells", book, "满意度调查", "A1:C2")
    assert rows[0] == ["问卷编号", "工单编号", "提交时间"]
    assert rows[1][0] == "S0000001" and rows[1][1].startswith("T2026")
    assert abs(float(rows[1][2]) - 46205.669) < 0.01  # 2026年7月2日 16:03 as an Excel serial


def test_a_program_path_pasted_with_quotes_or_as_its_folder_still_finds_the_program(tmp_path):
    """Explorer's "Copy as path" gives the path in quotes; a folder means the qualitybook.exe inside it."""
    stubbed = tmp_path / "stubbed.xlsm"
    stub_xlwings(stubbed)
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / "qualitybook.exe").write_bytes(b"MZ")
    kind, command = libreoffice("frozen", stubbed, f'"{folder}"', "pareto")
    assert kind == "RunFrozenPython" and command == f"{folder / 'qualitybook.exe'}|run pareto"


def test_the_vba_messages_come_from_the_locale_in_both_languages():
    """What the buttons say before Python runs (a missing program, Python not starting) is the locale's text,
    built as ChrW() so the module stays ASCII; decoding it gives back the Chinese and the English."""
    import re

    from pyaddin.build.vba import own_modules
    from pyaddin.locale import text

    code = own_modules()["QualityBook"]
    assert code.isascii()
    for key in ("vba_exe_missing", "vba_failed", "vba_no_python", "vba_no_package"):
        arm = code.split(f'Case "{key}"')[1].split("Case ")[0].split("End Select")[0]
        parts = re.findall(r'ChrW\((\d+)\)|"((?:[^"]|"")*)"|(vbLf)', arm)
        decoded = "".join(chr(int(c)) if c else ("\n" if lf else q.replace('""', '"')) for c, q, lf in parts)
        assert decoded == text(key, "zh") + "\n" + text(key, "en")


def test_without_python_or_the_program_the_button_says_what_to_install(tmp_path):
    """No qualitybook.exe and no python on the PATH: the project's message, not cmd's "'python' is not
    recognized" in xlwings' error box; RunPython is never called."""
    stubbed = tmp_path / "stubbed.xlsm"
    stub_xlwings(stubbed)
    assert libreoffice("configured", stubbed, "kpi") == ["MsgBox", said("vba_no_python", "python")]
    missing = tmp_path / "Python312" / "python.exe"  # the interpreter configured, not installed there
    assert libreoffice("configured", stubbed, "kpi", f"Interpreter_Win={missing}") == [
        "MsgBox", said("vba_no_python", str(missing))]
    program = tmp_path / "gone" / "qualitybook.exe"  # the program configured, not there
    assert libreoffice("frozen", stubbed, program, "kpi") == ["MsgBox", said("vba_exe_missing", str(program))]


def test_python_on_the_path_is_found_as_cmd_finds_it_and_a_store_alias_alone_is_not(tmp_path):
    """python.exe (or pyenv's python.bat) in a folder of the PATH runs; Windows' own python.exe in WindowsApps,
    which opens the Microsoft Store where no Python is installed, counts only beside a Python from the Store."""
    stubbed = tmp_path / "stubbed.xlsm"
    stub_xlwings(stubbed)
    alias = tmp_path / "Microsoft" / "WindowsApps"
    alias.mkdir(parents=True)
    (alias / "python.exe").write_bytes(b"")
    pyenv = tmp_path / "pyenv" / "shims"
    pyenv.mkdir(parents=True)
    (pyenv / "python.bat").write_text("@echo off")
    here = tmp_path / "bin"  # what the import check starts under sh: a python that has the package
    here.mkdir()
    interpreter(here / "python", imports=True)

    def run_with(*folders):  # the Windows PATH is split at ';' (a Linux PATH before it stays whole)
        env = {**os.environ, "PATH": ";".join([f"{here}:{os.environ['PATH']}", *map(str, folders)]),
               "PATHEXT": ".EXE;.BAT"}
        return libreoffice("configured", stubbed, "kpi", env=env)

    assert run_with(alias) == ["MsgBox", said("vba_no_python", "python")]
    assert run_with(pyenv)[0] == "RunPython"
    (alias / "PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0").mkdir()
    assert run_with(alias)[0] == "RunPython"


def test_every_run_python_is_preceded_by_the_check_for_python():
    """RunPython only after QB_Interpreter found the Python it will start and QB_ImportsPackage saw it import the
    package (and an exit when either did not)."""
    import re

    from pyaddin.build.vba import own_modules

    code = own_modules()["QualityBook"]
    calls = [m.start() for m in re.finditer(r"^\s*RunPython ", code, re.M)]
    assert calls
    for at in calls:
        body = code[code.rfind("Public Sub", 0, at):at]
        assert 'python = QB_Interpreter()' in body and 'If python = "" Then Exit Sub' in body
        assert "If Not QB_ImportsPackage(python) Then Exit Sub" in body
    assert "MsgBox" not in code  # every message through QB_Show, the one module the tests can read
