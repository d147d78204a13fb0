"""Output formats: iCalendar (ics), SARIF (sarif) and the report formats."""
