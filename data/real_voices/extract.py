"""Cut the real voices of `data/real_voices/` from the pyannote-audio 4.0.7 source distribution (PyPI):

    pip download --no-deps --no-binary :all: pyannote.audio==4.0.7 -d /tmp/p && tar xzf /tmp/p/*.tar.gz -C /tmp/p
    .venv/bin/python data/real_voices/extract.py /tmp/p/pyannote_audio-4.0.7/tests/data

Its `tests/data` holds fourteen 60 s one-track meeting excerpts with reference speaker turns (`debug.*.rttm`). Every
stretch where exactly one reference speaker talks for at least MIN_CLIP_S is kept (trimmed by EDGE_S at each end,
so another voice's edge is not in it), for the speakers with at least MIN_SPEAKER_S of such speech. Each speaker's
clips go, in recording order, into one FLAC (16 kHz mono), and `clips.json` gives each clip's place in it.
Deterministic: the same files give the same output.
"""

import json
import sys
import unicodedata
from pathlib import Path

import numpy as np
import soundfile as sf

MIN_CLIP_S = 0.6
EDGE_S = 0.05
MIN_SPEAKER_S = 7.0
STEP_S = 0.01
HERE = Path(__file__).resolve().parent


def single_stretches(rows: list[tuple[str, float, float]], duration_s: float) -> list[tuple[str, float, float]]:
    """(speaker, start, end) of each stretch where only that speaker talks."""
    n = int(duration_s / STEP_S)
    count, who = np.zeros(n, dtype=int), np.full(n, "", dtype=object)
    for name, start, end in rows:
        first, last = int(round(start / STEP_S)), min(n, int(round(end / STEP_S)))
        count[first:last] += 1
        who[first:last] = name
    stretches = []
    first = None
    for i in range(n + 1):
        same = i < n and count[i] == 1 and (first is None or who[i] == who[first])
        if first is not None and not same:
            start, end = first * STEP_S + EDGE_S, i * STEP_S - EDGE_S
            if end - start >= MIN_CLIP_S:
                stretches.append((str(who[first]), round(start, 2), round(end, 2)))
            first = None
        if first is None and i < n and count[i] == 1:
            first = i
    return stretches


def plain(text: str) -> str:
    """`text` without accents (the RTTM names file trñ00.wav trn00, and a speaker MÉO069)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def main(source: Path) -> None:
    wavs = {plain(path.stem): path for path in source.glob("*.wav")}
    clips: dict[str, list[tuple[str, float, float]]] = {}
    for rttm in sorted(source.glob("debug.*.rttm")):
        rows_by_uri: dict[str, list[tuple[str, float, float]]] = {}
        for line in rttm.read_text().splitlines():
            parts = line.split()
            start = float(parts[3])
            rows_by_uri.setdefault(parts[1], []).append((parts[7], start, start + float(parts[4])))
        for uri in sorted(rows_by_uri):
            duration_s = sf.info(wavs[uri]).duration
            for name, start, end in single_stretches(rows_by_uri[uri], duration_s):
                clips.setdefault(name, []).append((uri, start, end))
    index = {}
    for name in sorted(clips):
        total = sum(end - start for _, start, end in clips[name])
        if total < MIN_SPEAKER_S:
            continue
        ascii_name = plain(name)
        pieces, places, at = [], [], 0
        for uri, start, end in clips[name]:
            audio, rate = sf.read(wavs[uri], dtype="float32")  # 32-bit float files: libsndfile would not scale
            audio = np.round(np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16)
            piece = audio[int(start * rate) : int(end * rate)]
            pieces.append(piece)
            places.append({"source": wavs[uri].name, "source_start_s": start, "start": at, "length": len(piece)})
            at += len(piece)
        sf.write(HERE / f"{ascii_name}.flac", np.concatenate(pieces), rate, subtype="PCM_16")
        index[ascii_name] = {"sex": name[0], "speech_s": round(total, 1), "clips": places}
    (HERE / "clips.json").write_text(json.dumps(index, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
