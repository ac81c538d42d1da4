Attribute VB_Name = "IKU"
Option Explicit
' Macros behind the buttons "Hitung IKU" and "Hitung IKU (Server)".
' The Python entry point is a fixed import, never derived from the file
' name, so a renamed copy of the workbook keeps working.

Private Const LEMBAR_HASIL As String = "Hasil IKU|Rekap Kelurahan|Rekap SKM|Validasi|Grafik"

Public Sub HitungIKU()
    Dim pesan As String
    BukaLembarHasil
    On Error GoTo Gagal
    RunPython "import addin.excel_entry as iku; iku.hitung_iku()"
Gagal:
    pesan = Err.Description
    KunciLembarHasil
    If Len(pesan) > 0 Then
        MsgBox "Hitung IKU tidak dapat menjalankan Python: " & pesan & vbCrLf & _
               "Periksa pemasangan Python dan xlwings (PANDUAN bagian 1), atau pakai tombol " & _
               "'Hitung IKU (Server)'.", vbCritical, "Hitung IKU"
    End If
End Sub

Public Sub HitungIKUServer()
    Dim url As String
    url = GetConfig("SERVER_URL", "")
    If Len(url) = 0 Then
        MsgBox "Alamat server belum diisi. Minta petugas TI mengisi SERVER_URL " & _
               "pada lembar tersembunyi 'xlwings.conf'.", vbExclamation, "Hitung IKU (Server)"
        Exit Sub
    End If
    Dim pesan As String
    BukaLembarHasil
    On Error GoTo Gagal
    RunRemotePython url
Gagal:
    pesan = Err.Description
    KunciLembarHasil
    If Len(pesan) > 0 Then
        MsgBox "Server tidak dapat dihubungi: " & pesan & vbCrLf & _
               "Periksa SERVER_URL dan koneksi internet, atau hubungi petugas TI.", vbCritical, "Hitung IKU (Server)"
    End If
End Sub

' Result sheets are protected (no password) against typing; the macros open
' them for the write and lock them again, also after an error.
Public Sub BukaLembarHasil()
    Dim nama As Variant
    On Error Resume Next
    For Each nama In Split(LEMBAR_HASIL, "|")
        ThisWorkbook.Worksheets(CStr(nama)).Unprotect
    Next nama
    On Error GoTo 0
End Sub

Public Sub KunciLembarHasil()
    Dim nama As Variant
    On Error Resume Next
    For Each nama In Split(LEMBAR_HASIL, "|")
        ThisWorkbook.Worksheets(CStr(nama)).Protect DrawingObjects:=False, Contents:=True, _
            AllowFormattingColumns:=True, AllowSorting:=True, AllowFiltering:=True
    Next nama
    On Error GoTo 0
End Sub
