"""Everything facilitator writes for people: PDFs, calendar files, CSV exports."""
