Attribute VB_Name = "xlwings_udfs"
Option Explicit
' Wrappers for the UDFs of addin.udf, shipped in the workbook so that users
' need not click "Import Functions". Same shape as xlwings' own generator.

Function IKU_CAPAIAN(realisasi, target, polaritas)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IKU_CAPAIAN = XLPy.CallUDF("addin.udf", "IKU_CAPAIAN", Array(realisasi, target, polaritas), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IKU_CAPAIAN = XLPy.CallUDF("addin.udf", "IKU_CAPAIAN", Array(realisasi, target, polaritas))
        Exit Function
    #End If
failed:
    IKU_CAPAIAN = Err.Description
End Function

Function IKU_PREDIKAT(capaian)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IKU_PREDIKAT = XLPy.CallUDF("addin.udf", "IKU_PREDIKAT", Array(capaian), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IKU_PREDIKAT = XLPy.CallUDF("addin.udf", "IKU_PREDIKAT", Array(capaian))
        Exit Function
    #End If
failed:
    IKU_PREDIKAT = Err.Description
End Function

Function IKU_IKM(jawaban, Optional bobot)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IKU_IKM = XLPy.CallUDF("addin.udf", "IKU_IKM", Array(jawaban, bobot), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IKU_IKM = XLPy.CallUDF("addin.udf", "IKU_IKM", Array(jawaban, bobot))
        Exit Function
    #End If
failed:
    IKU_IKM = Err.Description
End Function

Function IKU_MUTU(ikm)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IKU_MUTU = XLPy.CallUDF("addin.udf", "IKU_MUTU", Array(ikm), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IKU_MUTU = XLPy.CallUDF("addin.udf", "IKU_MUTU", Array(ikm))
        Exit Function
    #End If
failed:
    IKU_MUTU = Err.Description
End Function

Function IKU_PERSEN(bagian, total)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IKU_PERSEN = XLPy.CallUDF("addin.udf", "IKU_PERSEN", Array(bagian, total), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IKU_PERSEN = XLPy.CallUDF("addin.udf", "IKU_PERSEN", Array(bagian, total))
        Exit Function
    #End If
failed:
    IKU_PERSEN = Err.Description
End Function

Function IKU_SAMPEL_MINIMUM(populasi)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IKU_SAMPEL_MINIMUM = XLPy.CallUDF("addin.udf", "IKU_SAMPEL_MINIMUM", Array(populasi), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IKU_SAMPEL_MINIMUM = XLPy.CallUDF("addin.udf", "IKU_SAMPEL_MINIMUM", Array(populasi))
        Exit Function
    #End If
failed:
    IKU_SAMPEL_MINIMUM = Err.Description
End Function
