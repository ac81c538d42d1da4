Attribute VB_Name = "IKU"
Option Explicit
' Macros behind the buttons "Hitung IKU", "Hitung IKU (Server)" and
' "Periksa Instalasi". The Python entry points are fixed imports, never
' derived from the file name, so a renamed copy of the workbook keeps working.

Private Const LEMBAR_HASIL As String = "Hasil IKU|Rekap Kelurahan|Rekap SKM|Validasi|Grafik"

' Python opens the result sheets, writes and locks them again itself
' (addin/excel_book.py): on the Mac RunPython returns before Python is done.
Public Sub HitungIKU()
    On Error GoTo Gagal
    RunPython "import addin.excel_entry as iku; iku.hitung_iku()"
    Exit Sub
Gagal:
    Dim pesan As String
    pesan = Err.Description
    KunciLembarHasil
    MsgBox "Hitung IKU tidak dapat menjalankan Python: " & pesan & vbCrLf & _
           "Klik 'Periksa Instalasi' pada lembar Pengaturan untuk melihat yang perlu diperbaiki, " & _
           "atau pakai tombol 'Hitung IKU (Server)'.", vbCritical, "Hitung IKU"
End Sub

' RunRemotePython waits for the answer on every platform, so VBA opens and
' locks the result sheets around it.
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
        MsgBox "Hitung IKU (Server) gagal: " & pesan & vbCrLf & _
               "Periksa alamat SERVER_URL dan jaringan kantor, atau hubungi petugas TI.", _
               vbCritical, "Hitung IKU (Server)"
    End If
End Sub

' The LKjIP chapter as a Word document beside the workbook (addin/laporan.py).
Public Sub CetakLaporan()
    On Error GoTo Gagal
    RunPython "import addin.excel_entry as iku; iku.cetak_laporan()"
    Exit Sub
Gagal:
    MsgBox "Laporan tidak dapat dibuat karena Python tidak dapat dijalankan: " & Err.Description & vbCrLf & _
           "Klik 'Periksa Instalasi' pada lembar Pengaturan, atau buat laporan dengan perintah 'iku laporan' " & _
           "di komputer petugas TI.", vbCritical, "Cetak Laporan"
End Sub

Public Sub PeriksaInstalasi()
    On Error GoTo Gagal
    RunPython "import addin.excel_entry as iku; iku.periksa_instalasi()"
    Exit Sub
Gagal:
    MsgBox "Python tidak dapat dijalankan dari Excel: " & Err.Description & vbCrLf & _
           "Pasang Python dan paket IKU (PANDUAN bagian 1), lalu klik Periksa Instalasi lagi. " & _
           "Tanpa Python, pakai tombol 'Hitung IKU (Server)'.", vbCritical, "Periksa Instalasi"
End Sub

' Result sheets are protected (no password) against typing.
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
