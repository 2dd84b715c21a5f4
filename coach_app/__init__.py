"""Listening Coach: offline practice and evidence-backed feedback on active listening."""

__version__ = "0.1.0"
