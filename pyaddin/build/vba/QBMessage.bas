Attribute VB_Name = "QBMessage"
' What QualityBook says and runs outside Excel before Python does, in one place: the tests under LibreOffice swap
' this module for one that records the message (a message box cannot be read there) and runs the command through
' sh (there is no WScript.Shell there).
Option Explicit

Public Sub QB_Show(ByVal message As String)
    MsgBox message, vbExclamation, "QualityBook"
End Sub

Public Function QB_ExitCode(ByVal command As String) As Long
    ' The exit code of a command line, run hidden (window style 0) and waited for.
    QB_ExitCode = CreateObject("WScript.Shell").Run(command, 0, True)
End Function
