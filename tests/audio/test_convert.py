"""Audio import reads WAV, FLAC, OGG and MP3 at any rate in blocks, and refuses bad files with a clear message."""

import subprocess
import threading

import numpy as np
import pytest
import soundfile as sf
import speech

from coach_app.audio.convert import probe, read_blocks
from coach_app.errors import AudioError, Cancelled

TEXT = "Thank you for calling, how can I help you today?"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """A 16 kHz stereo WAV: speech on the left, silence on the right."""
    folder = tmp_path_factory.mktemp("convert")
    voice = speech.synthesize(TEXT, speech.VOICES["rep"])
    path = folder / "clip.wav"
    sf.write(path, np.stack([voice, np.zeros_like(voice)], axis=1), speech.SAMPLERATE, subtype="PCM_16")
    return path


def converted(clip, suffix, rate):
    out = clip.with_name(f"clip-{rate}{suffix}")
    if not out.exists():
        subprocess.run(["sox", str(clip), "-r", str(rate), str(out)], check=True)
    return out


@pytest.mark.parametrize(("suffix", "rate"), [(".wav", 8000), (".wav", 48000), (".flac", 44100), (".ogg", 22050)])
def test_formats_and_rates_come_out_at_the_model_rate(clip, suffix, rate):
    """Any supported file is resampled to 16 kHz with its length and loudness kept."""
    path = converted(clip, suffix, rate)
    blocks = list(read_blocks(path, 16000))
    audio = np.concatenate(blocks)
    original, _ = sf.read(clip, dtype="int16")
    assert audio.dtype == np.int16 and audio.shape[1] == 2
    assert abs(len(audio) - len(original)) <= 16000 * 0.06
    loud = np.abs(original[:, 0].astype(float)).mean()
    assert abs(np.abs(audio[:, 0].astype(float)).mean() - loud) < 0.15 * loud
    assert np.abs(audio[:, 1]).max() < 600  # the silent channel stays silent (codec noise only)


def test_mp3_is_read(clip):
    """MP3 (libsndfile ≥ 1.1) is decoded; its length matches apart from the encoder's padding."""
    path = converted(clip, ".mp3", 44100)
    assert probe(path).format == "MP3"
    audio = np.concatenate(list(read_blocks(path, 16000)))
    assert abs(len(audio) / 16000 - sf.info(clip).duration) < 0.1


def test_progress_reaches_the_end_and_cancel_stops(clip):
    """Progress rises to 1.0 while reading; setting cancel stops reading with Cancelled."""
    path = converted(clip, ".wav", 48000)
    seen = []
    list(read_blocks(path, 16000, on_progress=lambda f, m: seen.append(f)))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
    cancel = threading.Event()
    blocks = read_blocks(path, 16000, cancel=cancel)
    next(blocks)
    cancel.set()
    with pytest.raises(Cancelled, match="cancelled"):
        next(blocks)


def test_text_file_renamed_wav_is_refused(tmp_path):
    """A text file with a .wav name is named as not readable audio, with the formats to use."""
    path = tmp_path / "notes.wav"
    path.write_text("these are my notes, not audio\n")
    with pytest.raises(AudioError, match=r"notes\.wav is not an audio file.*WAV, FLAC"):
        probe(path)


def test_empty_and_header_only_files_are_refused(tmp_path, clip):
    """A zero-byte file and a WAV with no samples each get their own message."""
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match=r"empty \(0 bytes\)"):
        probe(empty)
    no_samples = tmp_path / "none.wav"
    sf.write(no_samples, np.zeros((0, 1), dtype=np.int16), 16000)
    with pytest.raises(AudioError, match="contains no audio"):
        probe(no_samples)
    with pytest.raises(AudioError, match="does not exist"):
        probe(tmp_path / "missing.wav")


def test_truncated_files(tmp_path, clip):
    """A WAV cut short is read up to the cut (as a crashed recording is); a cut FLAC names where it breaks."""
    data = clip.read_bytes()
    cut_wav = tmp_path / "cut.wav"
    cut_wav.write_bytes(data[: len(data) // 2])
    audio = np.concatenate(list(read_blocks(cut_wav, 16000)))
    assert abs(len(audio) - sf.info(clip).frames / 2) < 100
    flac = converted(clip, ".flac", 16000)
    cut_flac = tmp_path / "cut.flac"
    cut_flac.write_bytes(flac.read_bytes()[: flac.stat().st_size // 3])
    with pytest.raises(AudioError, match=r"cut\.flac is damaged after"):
        list(read_blocks(cut_flac, 16000))
