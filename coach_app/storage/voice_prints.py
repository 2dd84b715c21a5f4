"""A rep's voice print: the mean speaker embedding of their speech in their own practice recordings."""

import numpy as np
from sqlite_utils import Database

from coach_app.storage.db import now_iso, writing
from coach_app.storage.sessions import person_id

DIMENSIONS = 256


def load_voice_print(db: Database, rep: str) -> np.ndarray | None:
    """The rep's voice print (unit length), or None when none has been learned yet."""
    row = db.execute(
        "SELECT v.embedding FROM voice_prints v JOIN people p ON p.id = v.person_id WHERE p.name = ?", [rep]
    ).fetchone()
    return None if row is None else np.frombuffer(row[0], dtype="<f4").astype(np.float64)


def update_voice_print(db: Database, rep: str, embedding: np.ndarray, speech_s: float) -> None:
    """Fold `speech_s` seconds of the rep's voice (its mean embedding) into the rep's print, weighted by time."""
    vector = np.asarray(embedding, dtype=np.float64).reshape(DIMENSIONS)
    with writing(db):
        person = person_id(db, rep)
        row = db.execute("SELECT embedding, speech_s FROM voice_prints WHERE person_id = ?", [person]).fetchone()
        total = speech_s
        if row is not None:
            vector = vector * speech_s + np.frombuffer(row[0], dtype="<f4") * row[1]
            total += row[1]
        vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
        db.execute(
            "INSERT OR REPLACE INTO voice_prints (person_id, embedding, speech_s, updated_at) VALUES (?, ?, ?, ?)",
            [person, vector.astype("<f4").tobytes(), total, now_iso()],
        )
