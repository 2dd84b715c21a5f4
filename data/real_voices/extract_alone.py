"""Cut the one-voice recordings of `data/real_voices/alone.json` from two Debian packages:

    apt-get download klettres-data codec2-examples
    dpkg -x klettres-data_*.deb /tmp/deb && dpkg -x codec2-examples_*.deb /tmp/deb
    .venv/bin/python data/real_voices/extract_alone.py /tmp/deb/usr/share

KLettres (KDE's alphabet tutor, GPL-2+) has the letters of each language's alphabet read by one person
(`klettres/LANG/alpha/*.ogg`); Codec2's examples (LGPL-2.1) have radio amateurs' transmissions recorded at 8 kHz
(`codec2/wav/CALLSIGN.wav`). Each speaker's clips (the letters in alphabet order, or the one transmission) go into
one FLAC (16 kHz mono, 16-bit) and `alone.json` gives each clip's place in it, as `clips.json` does for `extract.py`.
Deterministic: the same files give the same output.
"""

import json
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

HERE = Path(__file__).resolve().parent
RATE = 16000
# speaker name → (source, sex); the sex is judged from the median pitch (not by listening): men 123–138 Hz,
# women 197–233 Hz
LETTERS = {
    "KLETTRES-DA": ("da", "M"),
    "KLETTRES-DE": ("de", "F"),
    "KLETTRES-EN": ("en", "M"),
    "KLETTRES-EN-GB": ("en_GB", "F"),
    "KLETTRES-FR": ("fr", "M"),
    "KLETTRES-NL": ("nl", "F"),
    "KLETTRES-RU": ("ru", "F"),
}
RADIO = {"VK5QI": ("vk5qi", "M"), "VE9QRP": ("ve9qrp", "M")}


def read(path: Path) -> np.ndarray:
    """16 kHz mono float32."""
    audio, rate = sf.read(path, dtype="float32", always_2d=True)
    return soxr.resample(audio.mean(axis=1), rate, RATE) if rate != RATE else audio.mean(axis=1)


def alphabet(share: Path, language: str) -> list[Path]:
    """The language's letter recordings in the order KLettres lists them."""
    root = ElementTree.parse(share / "klettres" / language / "sounds.xml").getroot()
    for entry in root.iter("language"):
        if entry.get("code") == language:
            return [share / "klettres" / sound.get("file") for sound in entry.find("alphabet").iter("sound")]
    raise KeyError(language)


def main(share: Path) -> None:
    sources = {name: (alphabet(share, code), sex) for name, (code, sex) in LETTERS.items()}
    sources |= {name: ([share / "codec2" / "wav" / f"{stem}.wav"], sex) for name, (stem, sex) in RADIO.items()}
    index = {}
    for name, (paths, sex) in sorted(sources.items()):
        pieces = [np.round(np.clip(read(path), -1.0, 1.0) * 32767).astype(np.int16) for path in paths]
        places, at = [], 0
        for path, piece in zip(paths, pieces, strict=True):
            places.append(
                {
                    "source": f"{path.parent.parent.name}/{path.parent.name}/{path.name}",
                    "start": at,
                    "length": len(piece),
                }
            )
            at += len(piece)
        sf.write(HERE / f"{name}.flac", np.concatenate(pieces), RATE, subtype="PCM_16")
        index[name] = {"sex": sex, "audio_s": round(at / RATE, 1), "clips": places}
    (HERE / "alone.json").write_text(json.dumps(index, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
