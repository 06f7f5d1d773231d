Attribute VB_Name = "QBMessage"
' What QualityBook says before Python runs, in one place: the tests under LibreOffice swap this module for one
' that records the message, since a message box cannot be read there.
Option Explicit

Public Sub QB_Show(ByVal message As String)
    MsgBox message, vbExclamation, "QualityBook"
End Sub
