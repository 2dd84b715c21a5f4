"""The crash-safe WAV writer and the repair of stale or truncated headers."""

import struct
import wave

import numpy as np
import pytest
import soundfile as sf

from coach_app.audio.wavfile import HEADER_BYTES, CrashSafeWavWriter, is_being_written, recover_partial
from coach_app.errors import AudioError


def ramp(frames: int, channels: int, start: int = 0) -> np.ndarray:
    values = (np.arange(start, start + frames * channels) % 20000 - 10000).astype(np.int16)
    return values.reshape(frames, channels)


def header_sizes(path) -> tuple[int, int]:
    head = path.read_bytes()[:HEADER_BYTES]
    return struct.unpack_from("<I", head, 4)[0], struct.unpack_from("<I", head, 40)[0]


@pytest.mark.parametrize("channels", [1, 2])
def test_header_describes_the_audio_after_every_sync(tmp_path, channels):
    """While the writer is still open, another reader sees exactly the frames appended up to each sync."""
    path = tmp_path / "live.wav"
    writer = CrashSafeWavWriter(path, channels, 16000, sync_interval_s=0.0)  # every append syncs
    written = []
    for block in range(4):
        frames = ramp(1600, channels, start=block * 1600)
        writer.append(frames)
        written.append(frames)
        data, rate = sf.read(path, dtype="int16", always_2d=True)
        assert rate == 16000
        np.testing.assert_array_equal(data, np.concatenate(written))
    writer.close()
    with wave.open(str(path)) as stdlib_reader:  # the standard library agrees on the final file
        assert (stdlib_reader.getnchannels(), stdlib_reader.getnframes()) == (channels, 6400)


def test_header_lags_between_syncs_and_close_makes_it_exact(tmp_path):
    """Between syncs the header may under-count (never over-count); close() writes the final sizes."""
    path = tmp_path / "slow.wav"
    writer = CrashSafeWavWriter(path, 1, 16000, sync_interval_s=3600)
    writer.append(ramp(800, 1))
    assert header_sizes(path) == (36, 0)
    writer.close()
    assert header_sizes(path) == (36 + 1600, 1600)
    assert sf.info(path).frames == 800


def test_a_burst_of_audio_syncs_at_once(tmp_path):
    """A writer catching up after a stall syncs on the amount of audio, not only on the clock."""
    path = tmp_path / "burst.wav"
    writer = CrashSafeWavWriter(path, 1, 16000, sync_interval_s=0.25)
    writer.append(ramp(16000, 1))  # one second at once, well within 0.25 s of wall time
    assert header_sizes(path) == (36 + 32000, 32000)
    writer.close()


def test_recover_partial_rewrites_a_stale_header_from_the_file_length(tmp_path):
    """A file whose header still says 'no audio' (crash before the first sync) gets all its frames back."""
    path = tmp_path / "crashed.partial.wav"
    writer = CrashSafeWavWriter(path, 2, 8000, sync_interval_s=3600)
    writer.close()
    with open(path, "ab") as file:  # audio that reached the disk after the last header update
        file.write(ramp(4000, 2).tobytes())
    assert header_sizes(path) == (36, 0)

    repair = recover_partial(path)

    assert (repair.frames, repair.channels, repair.samplerate, repair.header_was_stale) == (4000, 2, 8000, True)
    assert repair.duration_s == pytest.approx(0.5)
    data, _ = sf.read(path, dtype="int16")
    np.testing.assert_array_equal(data, ramp(4000, 2))


def test_recover_partial_cuts_a_frame_torn_in_half(tmp_path):
    """A write cut mid-frame is trimmed to whole frames so every size in the file agrees."""
    path = tmp_path / "torn.partial.wav"
    writer = CrashSafeWavWriter(path, 2, 16000)
    writer.append(ramp(100, 2))
    writer.close()
    with open(path, "ab") as file:
        file.write(b"\x01\x02\x03")  # three bytes of a four-byte stereo frame
    repair = recover_partial(path)
    assert repair.frames == 100
    assert path.stat().st_size == HEADER_BYTES + 400
    assert header_sizes(path) == (36 + 400, 400)


def test_recover_partial_leaves_a_correct_file_alone(tmp_path):
    """A file closed normally is reported as not stale and not modified."""
    path = tmp_path / "fine.wav"
    writer = CrashSafeWavWriter(path, 1, 16000)
    writer.append(ramp(320, 1))
    writer.close()
    before = path.read_bytes()
    repair = recover_partial(path)
    assert (repair.frames, repair.header_was_stale) == (320, False)
    assert path.read_bytes() == before


def test_recover_partial_refuses_files_it_cannot_repair(tmp_path):
    """A header cut short or a file that is not our WAV gives an AudioError naming the file, and stays untouched."""
    truncated = tmp_path / "cut.partial.wav"
    truncated.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")
    with pytest.raises(AudioError, match="cut.partial.wav.*too short"):
        recover_partial(truncated)
    assert truncated.read_bytes() == b"RIFF\x00\x00\x00\x00WAVEfmt "

    text = tmp_path / "notes.partial.wav"
    text.write_text("these are meeting notes, not audio " * 4)
    with pytest.raises(AudioError, match="notes.partial.wav.*not a 16-bit PCM WAV"):
        recover_partial(text)


def test_writer_rejects_frames_of_the_wrong_shape(tmp_path):
    """Appending float or wrongly shaped frames is a programming error, caught before anything is written."""
    writer = CrashSafeWavWriter(tmp_path / "x.wav", 2, 16000)
    with pytest.raises(ValueError, match="int16"):
        writer.append(np.zeros((10, 2), np.float32))
    with pytest.raises(ValueError, match="int16"):
        writer.append(np.zeros((10, 1), np.int16))
    writer.close()
    assert sf.info(tmp_path / "x.wav").frames == 0


def test_an_open_writer_marks_its_file_as_in_use(tmp_path):
    """Recovery can tell a live recording from an abandoned one."""
    path = tmp_path / "live.partial.wav"
    writer = CrashSafeWavWriter(path, 1, 16000)
    assert is_being_written(path)
    writer.close()
    assert not is_being_written(path)


def test_writer_names_an_unwritable_location(tmp_path):
    """A missing folder is an AudioError that names the file, not a traceback."""
    with pytest.raises(AudioError, match="no-such-folder"):
        CrashSafeWavWriter(tmp_path / "no-such-folder" / "x.wav", 1, 16000)
