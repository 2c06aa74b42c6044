"""Importing judges and cases from the exports of a court's existing case-management system.

A file is validated whole first; one bad row refuses the file and nothing is written.
A good file is written in one transaction with one trace entry.
"""
from services.importing.cases import import_cases
from services.importing.judges import import_judges
from services.importing.reading import UnreadableFile
from services.importing.report import ImportReport, RowError

__all__ = ["import_cases", "import_judges", "ImportReport", "RowError", "UnreadableFile"]
