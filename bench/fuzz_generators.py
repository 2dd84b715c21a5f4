"""Hostile inputs for bench/fuzz_inputs.py: one generator per input class, each turning a seeded random source into
a `coach-app` argv (writing the files it names), and the real files they start from."""

import contextlib
import hashlib
import io
import json
import os
import random
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SAMPLE = SAMPLES / "birthday_gift_good.json"

HOSTILE_NUMBERS = ("1e400", "-1e400", "-5", "1" + "0" * 400, "NaN", "Infinity", "-0.0", "1e308", "99999999999999999999")
HOSTILE_TEXT = ("", " ", "not a date", "2024-13-45", "\u202e", "x" * 5000, "\x00", "../../etc/passwd", "inf", "nan")


# ---------------------------------------------------------------- hostile values and files


def hostile_value(rng: random.Random) -> object:
    """A JSON value chosen to break validation: non-finite, huge, negative, deep, wrong type."""
    choice = rng.randrange(8)
    if choice == 0:
        return float(rng.choice(["inf", "-inf", "nan"]))
    if choice == 1:
        return rng.choice([10**30, -(10**30), 2**63, -1, 1e308, -1e-300])
    if choice == 2:
        return rng.choice(HOSTILE_TEXT)
    if choice == 3:
        depth = rng.choice([50, 100, 1000, 5000])
        value: object = 1
        for _ in range(depth):
            value = [value]
        return value
    if choice == 4:
        return None
    if choice == 5:
        return rng.choice([True, False])
    if choice == 6:
        return {"k": rng.random()}
    return [rng.random()] * rng.randrange(5)


def deep_text(rng: random.Random, opener: str, closer: str) -> str:
    depth = rng.choice([100, 1000, 5000, 100_000])
    return opener * depth + closer * depth


def mangle(data: bytes, rng: random.Random) -> bytes:
    """One or a few random cuts, splices, flips, duplications or hostile-number insertions."""
    for _ in range(rng.randint(1, 3)):
        pos = rng.randint(0, len(data))
        action = rng.randrange(5)
        if action == 0:
            data = data[:pos]
        elif action == 1:
            data = data[:pos] + rng.randbytes(rng.randint(1, 40)) + data[pos:]
        elif action == 2 and pos < len(data):
            data = data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1 :]
        elif action == 3:
            end = min(len(data), pos + rng.randint(1, 400))
            data = data[:pos] + data[pos:end] * rng.randint(2, 50) + data[end:]
        else:
            data = data[:pos] + rng.choice(HOSTILE_NUMBERS).encode() + data[pos:]
    return data


def special_file(path: Path, rng: random.Random) -> Path:
    """Something at `path` that is not a plain readable file."""
    kind = rng.randrange(7)
    if kind == 0:
        os.mkfifo(path)
    elif kind == 1:
        path.mkdir()
    elif kind == 2:
        path.symlink_to("/dev/zero")
    elif kind == 3:
        path.symlink_to("/dev/null")
    elif kind == 4:
        path.symlink_to(path.name)  # a link to itself
    elif kind == 5:
        path.symlink_to("nowhere")
    else:
        path.write_bytes(b"")
    return path


def input_file(path: Path, rng: random.Random, make) -> Path:
    """A hostile input: one time in eight a special file, otherwise `make()`'s bytes."""
    if rng.random() < 0.125:
        return special_file(path, rng)
    path.write_bytes(make())
    return path


def mutate_json(value: object, rng: random.Random) -> object:
    """Replace one randomly chosen node of a JSON document with a hostile value."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        return {**value, key: mutate_json(value[key], rng)}
    if isinstance(value, list) and value and rng.random() < 0.8:
        i = rng.randrange(len(value))
        return [*value[:i], mutate_json(value[i], rng), *value[i + 1 :]]
    return hostile_value(rng)


def dumps(value: object) -> bytes:
    """JSON text, with non-finite floats and deep nesting written out as a hostile file would have them."""
    try:
        return json.dumps(value).encode()
    except (RecursionError, ValueError):
        return b'{"turns": ' + b"[" * 5000 + b"]" * 5000 + b"}"


# ---------------------------------------------------------------- one generator per input class


def gen_transcript(rng, work, base):
    sample = json.loads(rng.choice(base["transcripts"]))

    def make() -> bytes:
        style = rng.randrange(4)
        if style == 0:
            return mangle(json.dumps(sample).encode(), rng)
        if style == 1:
            return dumps(mutate_json(sample, rng))
        if style == 2:
            return ('{"turns": ' + deep_text(rng, "[", "]") + "}").encode()
        return rng.randbytes(rng.randint(0, 300))

    path = input_file(work / "t.json", rng, make)
    return ["analyze", str(path), *rng.choice([[], ["--json"]])]


def gen_rubric(rng, work, base):
    def make() -> bytes:
        style = rng.randrange(3)
        if style == 0:
            return mangle(base["rubric"], rng)
        if style == 1:
            number = rng.choice(["1e308", "inf", "nan", "-inf", "1e400", "0", "-1", "1" * 30])
            key = rng.choice([b"weight = 1.5", b"base = ", b"min_pause_s = ", b"decay = "])
            return base["rubric"].replace(key, key.split(b"=")[0] + b"= " + number.encode() + b"\n#", 1)
        return ("version = " + deep_text(rng, "[", "]") + "\n").encode()

    path = input_file(work / "r.toml", rng, make)
    command = rng.choice([["analyze", str(SAMPLE)], ["rescore", "--all"]])
    return [*command, "--rubric", str(path)]


def gen_scenario(rng, work, base):
    def make() -> bytes:
        style = rng.randrange(3)
        if style == 0:
            return mangle(base["scenario"], rng)
        if style == 1:
            return ("id = " + deep_text(rng, "[", "]") + "\n").encode()
        return base["scenario"].replace(b"rate_wpm = ", b"rate_wpm = " + rng.choice(HOSTILE_NUMBERS).encode() + b"#")

    path = input_file(work / "s.toml", rng, make)
    if rng.random() < 0.5 and path.is_file() and not path.is_symlink():
        (work / "clips").mkdir()
        clip = work / "clips" / "opening.wav"
        input_file(clip, rng, lambda: mangle(base["wav"], rng) if rng.random() < 0.7 else rng.randbytes(64))
    return rng.choice([["scenarios", "validate", str(path)], ["scenarios", "show", str(path)]])


def gen_bundle(rng, work, base):
    def make() -> bytes:
        members = dict(base["bundle"])
        if rng.random() < 0.3:
            return mangle(base["bundle_bytes"], rng)
        manifest = json.loads(members.pop("manifest.json"))
        name = rng.choice([*members, "manifest.json", "manifest.json"])
        if name == "manifest.json":
            manifest = mutate_json(manifest, rng)
            if isinstance(manifest, dict) and rng.random() < 0.5:
                manifest["transcript_sha256"] = rng.randbytes(32).hex()
        elif not name.startswith("audio/"):
            members[name] = dumps(mutate_json(json.loads(members[name]), rng))
        else:
            members[name] = mangle(members[name], rng)
        if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) and rng.random() < 0.9:
            for member, data in members.items():
                manifest["files"][member] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            if rng.random() < 0.7:
                manifest["transcript_sha256"] = rng.randbytes(32).hex()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as bundle:
            bundle.writestr("manifest.json", dumps(manifest))
            for member, data in members.items():
                bundle.writestr(member, data)
        return out.getvalue()

    path = input_file(work / "b.zip", rng, make)
    return ["import", str(path), *rng.choice([[], ["--json"]])]


def gen_script(rng, work, base):
    def make() -> bytes:
        lines = ["hello how can i help", "so you are saying the parcel is late", "!sorry to cut in", ""]
        text = "\n".join(rng.choice(lines + list(HOSTILE_TEXT[:4])) for _ in range(rng.randint(0, 30)))
        return mangle(text.encode(), rng) if rng.random() < 0.3 else text.encode()

    path = input_file(work / "lines.txt", rng, make)
    return [
        "practice",
        rng.choice(["birthday-gift", "billing-double-charge"]),
        "--text",
        "--script",
        str(path),
        "--json",
    ]


def gen_csv(rng, work, base):
    def make() -> bytes:
        rows = base["csv"]
        return mangle(rows, rng) if rng.random() < 0.8 else rng.randbytes(200)

    path = input_file(work / "labels.csv", rng, make)
    return ["eval-utterances", str(path), "--json"]


def gen_audio(rng, work, base):
    suffix = rng.choice([".wav", ".flac", ".ogg", ".mp3"])
    path = input_file(work / f"call{suffix}", rng, lambda: mangle(base["audio"][suffix], rng))
    extra = rng.choice([[], ["--save", "--rep", "Fuzz"], ["--mono"]])
    return ["analyze", str(SAMPLE), "--audio", str(path), *extra]


def gen_output(rng, work, base):
    target = work / rng.choice(["out.zip", "out.html", "out.pdf", "out.csv", "out.json"])
    if rng.random() < 0.7:
        special_file(target, rng)
    elif rng.random() < 0.5:
        target = work / "missing-folder" / target.name
    command = rng.randrange(6)
    if command == 0:
        return ["export", "1", str(target)]
    if command == 1:
        return ["report", "1", rng.choice(["--html", "--pdf"]), str(target)]
    if command == 2:
        return ["sessions", "list", "--csv", str(target)]
    if command == 3:
        return ["progress", "--rep", "Sam", rng.choice(["--html", "--pdf"]), str(target)]
    if command == 4:
        return ["transcribe", str(work / "none.wav"), "--out", str(target)]
    return ["progress", "--rep", "Sam", "--png", str(target)]


def gen_arguments(rng, work, base):
    value = rng.choice(
        [*HOSTILE_NUMBERS, *HOSTILE_TEXT[:5], str(rng.randint(-(10**25), 10**25)), str(rng.random() * 1e6), "1", "0"]
    )
    template = rng.choice(
        [
            ["sessions", "show", "{}"],
            ["sessions", "show", "{}", "--json"],
            ["sessions", "comment", "1", "note", "--at", "{}"],
            ["sessions", "comment", "1", "note", "--turn", "{}"],
            ["sessions", "comment", "{}", "note"],
            ["sessions", "list", "--since", "{}"],
            ["sessions", "list", "--until", "{}", "--json"],
            ["sessions", "list", "--limit", "{}"],
            ["sessions", "speakers", "1", "--turn", "{}", "--speaker", "customer"],
            ["sessions", "tag", "{}", "x"],
            ["sessions", "search", "{}"],
            ["progress", "--rep", "Sam", "--since", "{}", "--json"],
            ["progress", "--rep", "Sam", "--goal", "{}"],
            ["report", "{}", "--html", str(work / "r.html")],
            ["practice", "birthday-gift", "--pause", "{}", "--text", "--script", str(SAMPLES / "none.txt")],
            ["record", "--seconds", "{}", "--min-free-mb", "{}", "--device", "no-such-device"],
        ]
    )
    return [value if part == "{}" else part for part in template]


OWN_LIBRARY = {"bundle", "audio"}
GENERATORS = {
    "transcript": gen_transcript,
    "rubric": gen_rubric,
    "scenario": gen_scenario,
    "bundle": gen_bundle,
    "script": gen_script,
    "csv": gen_csv,
    "audio": gen_audio,
    "output path": gen_output,
    "argument": gen_arguments,
}


def base_material(home: Path) -> dict:
    """The real files the generators start from, and a library with one session (id 1, rep Sam, a recording)."""
    import numpy as np
    import soundfile as sf

    from coach_app.cli import main
    from coach_app.paths import resource

    tone = (np.sin(np.linspace(0, 3000, 16000)) * 6000).astype(np.int16)
    audio = {}
    for suffix, fmt in ((".wav", "WAV"), (".flac", "FLAC"), (".ogg", "OGG"), (".mp3", "MP3")):
        buffer = io.BytesIO()
        sf.write(buffer, tone, 16000, format=fmt)
        audio[suffix] = buffer.getvalue()
    recording = home / "call.wav"
    recording.write_bytes(audio[".wav"])
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        assert main(["analyze", str(SAMPLE), "--save", "--rep", "Sam", "--audio", str(recording)]) == 0
        assert main(["export", "1", str(home / "base.zip")]) == 0
        assert main(["report", "1", "--pdf", str(home / "warm-up.pdf")]) == 0  # matplotlib loads before timing
    bundle_bytes = (home / "base.zip").read_bytes()
    with zipfile.ZipFile(home / "base.zip") as bundle:
        members = {name: bundle.read(name) for name in bundle.namelist()}
    csv_rows = (ROOT / "data" / "annomi" / "listening-dev.csv").read_bytes()[:4000]
    return {
        "transcripts": [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.json"))],
        "rubric": resource("rubrics", "default.toml").read_bytes(),
        "scenario": resource("scenarios", "birthday-gift.toml").read_bytes(),
        "wav": audio[".wav"],
        "audio": audio,
        "bundle": members,
        "bundle_bytes": bundle_bytes,
        "csv": csv_rows,
    }
