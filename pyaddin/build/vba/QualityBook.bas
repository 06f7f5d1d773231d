Attribute VB_Name = "QualityBook"
' QualityBook: every ribbon button calls QB_OnAction, which passes the action name to Python.
' With the packaged program (qualitybook.exe) beside this workbook, or at the path set under
' "QualityBook Executable" on the _xlwings.conf (or, once activated, xlwings.conf) sheet, it
' runs that (RunFrozenPython);
' otherwise it runs the pyaddin package with the configured Python (RunPython).
Option Explicit

Public Const QB_EXE_NAME As String = "qualitybook.exe"
Public Const QB_CONFIG_SHEET As String = "xlwings.conf"
Public Const QB_CONFIG_INACTIVE As String = "_xlwings.conf"
Public Const QB_CONFIG_EXE As String = "QualityBook Executable"

Public Sub QB_OnAction(control As Object)
    RunAction control.Tag
End Sub

Public Sub RunAction(ByVal actionName As String)
    Dim exe As String
    exe = QB_FrozenExecutable()
    If exe <> "" Then
        RunFrozenPython exe, "run " & actionName
    Else
        RunPython "import pyaddin.excel; pyaddin.excel.run_action('" & actionName & "')"
    End If
End Sub

Public Function QB_FrozenExecutable() As String
    Dim candidate As String
    candidate = QB_Config(QB_CONFIG_EXE)
    If candidate = "" Then candidate = ThisWorkbook.Path & Application.PathSeparator & QB_EXE_NAME
    If QB_FileExists(candidate) Then
        QB_FrozenExecutable = candidate
    Else
        QB_FrozenExecutable = ""
    End If
End Function

Public Function QB_Config(ByVal key As String) As String
    ' Reads column A (key) / B (value) of the xlwings.conf sheet, as xlwings itself does; the
    ' workbook ships it inactive as _xlwings.conf, which is read when no active sheet exists.
    Dim sht As Object, r As Long
    QB_Config = ""
    On Error Resume Next
    Set sht = ThisWorkbook.Worksheets(QB_CONFIG_SHEET)
    If sht Is Nothing Then Set sht = ThisWorkbook.Worksheets(QB_CONFIG_INACTIVE)
    On Error GoTo 0
    If sht Is Nothing Then Exit Function
    For r = 1 To 50
        If LCase(Trim(CStr(sht.Cells(r, 1).Value))) = LCase(key) Then
            QB_Config = Trim(CStr(sht.Cells(r, 2).Value))
            Exit Function
        End If
    Next r
End Function

Private Function QB_FileExists(ByVal path As String) As Boolean
    On Error GoTo Missing
    QB_FileExists = (Len(path) > 0 And Len(Dir(path)) > 0)
    Exit Function
Missing:
    QB_FileExists = False
End Function
