"""The pure core: the rubric and its YAML reader, reading answers, matching, scoring, duplicate
grouping, escaping and the errors. No files (but a rubric's own), no processes, no terminal;
imports neither ``screener.data`` nor ``screener.app``."""
