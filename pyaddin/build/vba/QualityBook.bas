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
    ' Any failure before Python has taken over ends in our own message box, in both languages.
    Dim exe As String
    On Error GoTo Failed
    exe = QB_FrozenExecutable()
    If exe = "?" Then Exit Sub  ' a configured program that is not there: QB_FrozenExecutable said so
    If exe <> "" Then
        RunFrozenPython exe, "run " & actionName
    Else
        RunPython "import pyaddin.excel; pyaddin.excel.run_action('" & actionName & "')"
    End If
    Exit Sub
Failed:
    MsgBox QB_Text("vba_failed") & vbLf & vbLf & Err.Description, vbExclamation, "QualityBook"
End Sub

Public Function QB_FrozenExecutable() As String
    ' The packaged program: the path set under "QualityBook Executable" (quotes and all, as pasted from
    ' Explorer; a folder means the program inside it), else qualitybook.exe beside the workbook.
    ' "" when there is none (RunPython then), "?" when the configured one is missing (after saying so).
    Dim candidate As String, folder As String
    candidate = Trim(Replace(QB_Config(QB_CONFIG_EXE), Chr(34), ""))
    If candidate <> "" Then
        If QB_IsFolder(candidate) Then
            If Right(candidate, 1) <> Application.PathSeparator Then candidate = candidate & Application.PathSeparator
            candidate = candidate & QB_EXE_NAME
        End If
        If QB_FileExists(candidate) Then
            QB_FrozenExecutable = candidate
        Else
            MsgBox QB_Text("vba_exe_missing") & vbLf & vbLf & candidate, vbExclamation, "QualityBook"
            QB_FrozenExecutable = "?"
        End If
        Exit Function
    End If
    folder = QB_BookFolder()
    candidate = folder & Application.PathSeparator & QB_EXE_NAME
    If folder <> "" And QB_FileExists(candidate) Then
        QB_FrozenExecutable = candidate
    Else
        QB_FrozenExecutable = ""
    End If
End Function

Public Function QB_BookFolder() As String
    ' A book on OneDrive or SharePoint has an https FullName: xlwings' own mapping (GetDirectoryPath) finds
    ' the local synced folder, "" when it cannot (Python then says which xlwings.conf setting to fill).
    If InStr(ThisWorkbook.FullName, "://") = 0 Then
        QB_BookFolder = ThisWorkbook.Path
        Exit Function
    End If
    On Error Resume Next
    QB_BookFolder = GetDirectoryPath(ThisWorkbook)
    On Error GoTo 0
End Function

Private Function QB_IsFolder(ByVal path As String) As Boolean
    On Error GoTo NotThere
    QB_IsFolder = ((GetAttr(path) And vbDirectory) = vbDirectory)
    Exit Function
NotThere:
    QB_IsFolder = False
End Function

Private Function QB_Text(ByVal key As String) As String
    ' The messages VBA shows before Python runs, both languages (generated from pyaddin/locale at build).
    Dim s As String
    Select Case key
'@QB_TEXTS
    End Select
    QB_Text = s
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
