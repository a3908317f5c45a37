"""The pure core: the domain model, scoring, the sheet layouts, checking returned inputs, rollups.

Nothing here does I/O or imports an outside library: every adapter (``xlsx``, ``google``,
``mail``, ``report``, ``history``) builds on these modules, and ``tests/test_architecture.py``
keeps it that way.
"""
