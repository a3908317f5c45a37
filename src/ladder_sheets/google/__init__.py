"""Google Sheets and Drive: the only user of gspread and google-auth.

``client`` (credentials, paced and retried HTTP), ``batch_requests`` (one Sheets batchUpdate from
the layout), ``push`` and ``pull`` (with ``sync_state``, the resumable map of SE to spreadsheet).
"""
