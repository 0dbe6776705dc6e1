"""Reading an export (CSV, JSON, JSON Lines, XLSX) into a table of text."""

from screener.data.load.export import FORMATS, LoadReport, RejectedRow, detect_format, load_export, load_export_chunks

__all__ = ["FORMATS", "LoadReport", "RejectedRow", "detect_format", "load_export", "load_export_chunks"]
