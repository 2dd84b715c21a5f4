"""Scoring: a trainer-editable rubric turns findings into 0–100 scores that list their evidence."""
