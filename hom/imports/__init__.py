"""Spreadsheet imports, shared by every app that imports rows (persons, organisations).

- ``reading``: a CSV or XLSX upload into a header and rows of text, within limits checked
  while streaming (size before reading, rows, columns; XML entities refused by defusedxml);
- ``mapping``: the first guess of which column holds which field, from the usual headers;
- ``runner``: the row-by-row check stored for the preview, the all-or-nothing run (a service call
  per row, or one batch for the whole file), progress;
- ``bulk``: set-based writers for a batch (rows by ``COPY`` or multi-row ``INSERT``, their
  history rows by ``INSERT … SELECT``);
- ``forms``: the upload form and the column-mapping form;
- ``status``: where an import stands.

A domain app keeps only what is its own: its fields (``TARGETS``), its header aliases,
how a row is cleaned and checked, and the service that creates one record per row. The
model fields every import keeps are ``migrants.models.SpreadsheetImport``.
"""
