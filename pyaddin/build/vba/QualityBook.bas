Attribute VB_Name = "QualityBook"
' QualityBook: every ribbon button calls QB_OnAction, which passes the action name to Python.
' With the packaged program (qualitybook.exe) beside this workbook, or at the path set under
' "QualityBook Executable" on the _xlwings.conf (or, once activated, xlwings.conf) sheet, it
' runs that (RunFrozenPython);
' otherwise it runs the pyaddin package with the configured Python (RunPython), once it has found that Python
' and seen it import the package: where there is neither, or a Python without the package, the message says what
' to install or where to put the program, not xlwings' error box.
Option Explicit

Public Const QB_EXE_NAME As String = "qualitybook.exe"
Public Const QB_CONFIG_SHEET As String = "xlwings.conf"
Public Const QB_CONFIG_INACTIVE As String = "_xlwings.conf"
Public Const QB_CONFIG_EXE As String = "QualityBook Executable"
Public Const QB_IMPORT_CHECK As String = "import pyaddin, xlwings"

Private QB_Ready As String  ' the interpreter seen importing the package, this Excel session: checked once

Public Sub QB_OnAction(control As Object)
    RunAction control.Tag
End Sub

Public Sub RunAction(ByVal actionName As String)
    ' Any failure before Python has taken over ends in our own message box, in both languages.
    Dim exe As String, python As String
    On Error GoTo Failed
    exe = QB_FrozenExecutable()
    If exe = "?" Then Exit Sub  ' a configured program that is not there: QB_FrozenExecutable said so
    If exe <> "" Then
        RunFrozenPython exe, "run " & actionName
        Exit Sub
    End If
    python = QB_Interpreter()
    If python = "" Then Exit Sub  ' no Python either: QB_Interpreter said what to install
    If Not QB_ImportsPackage(python) Then Exit Sub  ' a Python without the package: QB_ImportsPackage said so
    RunPython "import pyaddin.excel; pyaddin.excel.run_action('" & actionName & "')"
    Exit Sub
Failed:
    QB_Show QB_Text("vba_failed") & vbLf & vbLf & Err.Description
End Sub

Public Function QB_Interpreter() As String
    ' The Python that xlwings' RunPython will start, by xlwings' own settings (Interpreter_Win, else Interpreter,
    ' else python on the PATH), looked for before it starts: where it is not there, xlwings would show cmd's
    ' "'python' is not recognized" or its own "Could not find Interpreter!". "" then, after saying so.
    ' A conda environment (Conda Path and Conda Env) is xlwings' to activate and check.
    Dim python As String
    python = Trim(CStr(GetConfig("INTERPRETER_WIN", "")))
    If python = "" Then python = Trim(CStr(GetConfig("INTERPRETER", "python")))
    If CStr(GetConfig("CONDA PATH")) <> "" And CStr(GetConfig("CONDA ENV")) <> "" Then
        QB_Interpreter = python
        Exit Function
    End If
    If LCase(python) = "python" Or LCase(python) = "pythonw" Then
        If QB_OnPath("python") Then QB_Interpreter = python  ' xlwings runs python for either name
    ElseIf QB_FileExists(python) Then
        QB_Interpreter = python
    End If
    If QB_Interpreter = "" Then QB_Show QB_Text("vba_no_python") & vbLf & vbLf & python
End Function

Public Function QB_ImportsPackage(ByVal python As String) As Boolean
    ' Can that Python import the package and xlwings? Asked once per Excel session (the answer yes is kept in
    ' QB_Ready; a no is asked again at the next click, after the user has installed it), with the interpreter run
    ' hidden: where it cannot, xlwings would show its own error box with a traceback. A conda environment is
    ' xlwings' to activate, and a check that cannot run at all (WScript blocked) leaves it to xlwings.
    If python = QB_Ready Then
        QB_ImportsPackage = True
        Exit Function
    End If
    If CStr(GetConfig("CONDA PATH")) <> "" And CStr(GetConfig("CONDA ENV")) <> "" Then
        QB_ImportsPackage = True
        Exit Function
    End If
    Dim code As Long
    On Error GoTo Unknown
    code = QB_ExitCode(Chr(34) & python & Chr(34) & " -c " & Chr(34) & QB_IMPORT_CHECK & Chr(34))
    On Error GoTo 0
    If code = 0 Then
        QB_Ready = python
        QB_ImportsPackage = True
    Else
        QB_Show QB_Text("vba_no_package") & vbLf & vbLf & python
    End If
    Exit Function
Unknown:
    QB_ImportsPackage = True
End Function

Private Function QB_OnPath(ByVal program As String) As Boolean
    ' The program as cmd finds it: in a folder of the PATH, with one of the PATHEXT endings (pyenv's python.bat).
    ' Windows puts a python.exe of its own in WindowsApps (an alias that opens the Microsoft Store) even where no
    ' Python is installed: it counts only beside a Python installed from the Store.
    Dim folders() As String, endings() As String, i As Long, j As Long, folder As String
    folders = Split(Environ("PATH"), ";")
    endings = Split(IIf(Environ("PATHEXT") = "", ".COM;.EXE;.BAT;.CMD", Environ("PATHEXT")), ";")
    For i = LBound(folders) To UBound(folders)
        folder = Trim(Replace(folders(i), Chr(34), ""))
        If folder <> "" Then
            If Right(folder, 1) <> Application.PathSeparator Then folder = folder & Application.PathSeparator
            For j = LBound(endings) To UBound(endings)
                If endings(j) <> "" And QB_FileExists(folder & program & LCase(endings(j))) Then
                    If InStr(LCase(folder), "windowsapps") = 0 Or QB_FolderLike(folder & "PythonSoftwareFoundation.Python.*") Then
                        QB_OnPath = True
                        Exit Function
                    End If
                End If
            Next j
        End If
    Next i
End Function

Private Function QB_FolderLike(ByVal pattern As String) As Boolean
    On Error GoTo Missing
    QB_FolderLike = (Len(Dir(pattern, vbDirectory)) > 0)
    Exit Function
Missing:
    QB_FolderLike = False
End Function

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
            QB_Show QB_Text("vba_exe_missing") & vbLf & vbLf & candidate
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
