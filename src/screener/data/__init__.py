"""Data in and out: loading exports, writing outputs, the SQLite store and the audit log.
Imports only the core floor."""
