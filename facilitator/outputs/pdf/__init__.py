"""Printable PDFs: worksheets, facilitator guides, weekly packets, make-up packs, reports.

Importing this package imports reportlab; only the print commands do so. The entry points are
in :mod:`facilitator.outputs.pdf.runs` (whole print runs) and
:mod:`facilitator.outputs.pdf.worksheet` (one handout).
"""
