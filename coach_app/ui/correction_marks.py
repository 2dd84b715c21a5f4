"""What Review shows about trainer corrections: who marked or added each finding, where a finding marked wrong used
to count, and how the scores moved."""

from coach_app.core import Scorecard
from coach_app.storage.records import StoredSession
from coach_app.ui.widgets.scorecard_tree import RejectedFinding

Scores = dict[str, tuple[str, int]]  # dimension key ("" = overall) → (label, score)


def correction_notes(stored: StoredSession) -> dict[int, str]:
    """Stored finding id → "marked wrong by Jo" / "added by Jo"."""
    by = {c.finding_id: c for c in stored.corrections}
    return {
        s.id: f"{'added' if s.origin == 'trainer' else 'marked wrong'} by {by[s.id].author or 'a trainer'}"
        for s in stored.findings
        if s.id in by
    }


def rejected_marks(stored: StoredSession, notes: dict[int, str]) -> list[RejectedFinding]:
    """Each finding marked wrong, with the skills it counted for in the automatic scorecard."""
    automatic = stored.automatic
    marks = []
    for s in stored.findings:
        if not s.rejected:
            continue
        index = automatic.findings.index(s.finding) if s.finding in automatic.findings else -1
        dimensions = tuple(d.dimension for d in automatic.dimensions if index in d.evidence)
        marks.append(RejectedFinding(s.finding, s.id, dimensions, notes.get(s.id, "marked wrong")))
    return marks


def scores_of(card: Scorecard) -> Scores:
    return {d.dimension: (d.label, d.score) for d in card.dimensions} | {"": ("Overall", card.overall)}


def score_changes(before: Scores, card: Scorecard) -> str:
    """ "Empathy and validation 83 → 80 · Overall 70 → 69", or that no score changed."""
    now = scores_of(card)
    changes = [
        f"{label} {score} → {now[key][1]}"
        for key, (label, score) in before.items()
        if key in now and now[key][1] != score
    ]
    return " · ".join(changes) if changes else "No score changed."
