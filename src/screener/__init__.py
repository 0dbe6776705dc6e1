"""screener: screen job applications exported from online forms against a YAML rubric."""

__version__ = "0.1.0"
