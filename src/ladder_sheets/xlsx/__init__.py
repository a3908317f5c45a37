"""Excel workbooks: the only user of openpyxl (writing) and python-calamine (reading).

``generate`` writes one workbook per SE (``writer``, ``batch`` for the template fast path,
``manifest``); ``collect`` reads them back (``reader``); ``summary_workbook`` is report's summary.xlsx.
"""
