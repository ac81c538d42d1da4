Attribute VB_Name = "IKU"
Option Explicit
' Macros behind the buttons "Hitung IKU" and "Hitung IKU (Server)".
' The Python entry point is a fixed import, never derived from the file
' name, so a renamed copy of the workbook keeps working.

Private Const LEMBAR_HASIL As String = "Hasil IKU|Rekap Kelurahan|Rekap SKM|Validasi|Grafik"

Public Sub HitungIKU()
    SiapkanLembarHasil
    RunPython "import addin.excel_entry as iku; iku.hitung_iku()"
End Sub

Public Sub HitungIKUServer()
    Dim url As String
    url = GetConfig("SERVER_URL", "")
    If Len(url) = 0 Then
        MsgBox "Alamat server belum diisi. Minta petugas TI mengisi SERVER_URL " & _
               "pada lembar tersembunyi 'xlwings.conf'.", vbExclamation, "Hitung IKU (Server)"
        Exit Sub
    End If
    SiapkanLembarHasil
    RunRemotePython url
End Sub

' Result sheets stay protected against typing; macros may still write them.
Public Sub SiapkanLembarHasil()
    Dim nama As Variant
    On Error Resume Next
    For Each nama In Split(LEMBAR_HASIL, "|")
        ThisWorkbook.Worksheets(CStr(nama)).Protect UserInterfaceOnly:=True
    Next nama
    On Error GoTo 0
End Sub
