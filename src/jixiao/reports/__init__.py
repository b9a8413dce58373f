"""Reports: the self-evaluation report (.docx / .pdf), the score table and the data table
(.xlsx), all written from one report model built from an evaluation (docs/reports.md)."""
