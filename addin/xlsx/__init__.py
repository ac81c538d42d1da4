"""Reading and writing workbook files without Excel (zip parts and their XML)."""
