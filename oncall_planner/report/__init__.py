"""Output formats for the library's results: text, Markdown, JSON, CSV and self-contained HTML;
iCalendar in :mod:`oncall_planner.report.ics` and SARIF in :mod:`oncall_planner.report.sarif`.

Every function here is deterministic: the same report gives byte-identical output.
"""

from oncall_planner.report.data import report_dict, to_csv, to_json
from oncall_planner.report.html import to_html
from oncall_planner.report.text import to_markdown, to_text

__all__ = ["report_dict", "to_csv", "to_html", "to_json", "to_markdown", "to_text"]
