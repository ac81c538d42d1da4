"""Writing a VBA project (``vbaProject.bin``) from ``.bas``/``.cls`` text.

``ovba`` holds the MS-OVBA algorithms (compression, data encryption),
``cfb`` an MS-CFB compound-file writer, ``project`` the VBA project layout.
"""
