"""LibreOffice as the real spreadsheet client: it opens our files, finds the VBA and runs RunAction.

xlwings' two standalone modules (``xlwings`` and its ``Dictionary`` class) are Windows/Mac Excel
code that LibreOffice Basic cannot compile (a compile error there stops every macro of the
project), so the copy that runs macros swaps both for stubs that record what they were asked.
"""
import shutil

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

Private Sub QB_Record(what As String, detail As String)
    ThisWorkbook.Worksheets("_xlwings.conf").Range("D1").Value = what
    ThisWorkbook.Worksheets("_xlwings.conf").Range("D2").Value = detail
End Sub
'''


def stub_xlwings(target):
    replace_modules(ROOT / "qualitybook.xlsm", target,
                    {"xlwings": STUB.replace("\n", "\r\n"), "Dictionary": "Option Explicit\r\n"})


def test_committed_workbook_opens_and_libreoffice_finds_the_vba_modules():
    libs = libreoffice("modules", ROOT / "qualitybook.xlsm")["libraries"]
    assert {"QualityBook", "xlwings", "Dictionary", "ThisWorkbook"} <= set(libs["VBAProject"])


def test_run_action_calls_python_with_each_ribbon_action(tmp_path):
    stubbed = tmp_path / "stubbed.xlsm"
    stub_xlwings(stubbed)
    actions = list(ACTIONS)
    got = libreoffice("run", stubbed, *actions)
    for name in actions:
        kind, command = got[name]
        assert kind == "RunPython"
        assert command == f"import pyaddin.excel; pyaddin.excel.run_action('{name}')"


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
    for key in ("vba_exe_missing", "vba_failed"):
        arm = code.split(f'Case "{key}"')[1].split("Case ")[0].split("End Select")[0]
        parts = re.findall(r'ChrW\((\d+)\)|"((?:[^"]|"")*)"|(vbLf)', arm)
        decoded = "".join(chr(int(c)) if c else ("\n" if lf else q.replace('""', '"')) for c, q, lf in parts)
        assert decoded == text(key, "zh") + "\n" + text(key, "en")
