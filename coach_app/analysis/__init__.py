"""Listening analysis: pure functions from a transcript to findings; no I/O, no Qt."""
