"""Recording real audio from the PulseAudio test microphone: speech, levels, stereo, two devices, automatic stops."""

import shutil
import subprocess
import threading
import time

import numpy as np
import pytest
import soundfile as sf
from pulse_server import CUSTOMER_DEVICE, CUSTOMER_SINK, REP_DEVICE, REP_SINK, start_pulse_server

from coach_app import paths
from coach_app.audio.capture import Recorder, StopReason
from coach_app.audio.levels import SILENCE_DBFS
from coach_app.audio.wavfile import is_being_written
from coach_app.errors import AudioError

WAIT_S = 20  # generous upper bound for events on a busy 2-core machine; tests finish as soon as they fire


class AudioWatch:
    """A chunk consumer that records what the writer delivers and signals when enough audio has arrived."""

    def __init__(self, recorder_seconds: float = 0.3) -> None:
        self.blocks: list[np.ndarray] = []
        self.samplerates: set[int] = set()
        self.flowing = threading.Event()  # set once `recorder_seconds` of audio went through
        self._needed_s = recorder_seconds
        self._seen_s = 0.0

    def __call__(self, frames: np.ndarray, samplerate: int) -> None:
        self.blocks.append(frames)
        self.samplerates.add(samplerate)
        self._seen_s += len(frames) / samplerate
        if self._seen_s >= self._needed_s:
            self.flowing.set()

    def audio(self) -> np.ndarray:
        return np.concatenate(self.blocks)


def energy(samples: np.ndarray) -> float:
    return float(np.sum(samples.astype(np.float64) ** 2))


def speech_span_s(channel: np.ndarray, samplerate: int, threshold: int = 1000) -> tuple[float, float]:
    loud = np.flatnonzero(np.abs(channel.astype(np.int32)) > threshold)
    return loud[0] / samplerate, loud[-1] / samplerate


def test_records_played_speech_into_the_recordings_folder(pulse, rep_speech):
    """Speech played into the sink is captured whole: same energy, and the file appears as <name>.wav on stop."""
    reference, rate = sf.read(rep_speech, dtype="int16")
    watch = AudioWatch()
    recorder = Recorder(devices=[REP_DEVICE], on_chunk=[watch])
    recorder.start()
    assert recorder.partial_path.parent == paths.recordings_dir()
    assert recorder.partial_path.name.endswith(".partial.wav") and recorder.partial_path.exists()
    assert watch.flowing.wait(WAIT_S)
    assert pulse.play(rep_speech, REP_SINK).wait(WAIT_S) == 0
    result = recorder.stop()

    assert result.stop_reason is StopReason.REQUESTED
    assert result.path == recorder.path and result.path.suffixes == [".wav"] and not recorder.partial_path.exists()
    recorded, recorded_rate = sf.read(result.path, dtype="int16")
    assert recorded_rate == rate == 16000
    assert result.frames == len(recorded) and result.duration_s >= len(reference) / rate
    assert energy(recorded) == pytest.approx(energy(reference), rel=0.1)
    np.testing.assert_array_equal(watch.audio()[:, 0], recorded)  # consumers saw exactly what was written
    assert watch.samplerates == {16000}


def test_level_meter_and_elapsed_follow_the_audio(pulse, rep_speech):
    """The level rises above silence while speech plays and elapsed time grows, read from the test's thread."""
    levels = []
    watch = AudioWatch(recorder_seconds=0.5)
    with Recorder(devices=[REP_DEVICE], on_chunk=[watch]) as recorder:
        assert watch.flowing.wait(WAIT_S)
        first_elapsed = recorder.elapsed_s
        assert recorder.level.rms_dbfs == (SILENCE_DBFS,)  # nothing played yet: digital silence
        player = pulse.play(rep_speech, REP_SINK)
        while True:
            levels.append(recorder.level)
            try:
                player.wait(timeout=0.02)  # sample the meter like a UI timer would, until playback ends
                break
            except subprocess.TimeoutExpired:
                continue
        last_elapsed = recorder.elapsed_s
    assert last_elapsed > first_elapsed + 2.0
    assert max(level.rms_dbfs[0] for level in levels) > -40
    assert all(level.peak_dbfs[0] >= level.rms_dbfs[0] for level in levels)


def test_one_device_in_stereo(pulse, rep_speech):
    """Two channels from one device give a stereo file with the speech on both channels."""
    watch = AudioWatch()
    with Recorder(devices=[REP_DEVICE], channels=2, on_chunk=[watch]) as recorder:
        assert watch.flowing.wait(WAIT_S)
        assert pulse.play(rep_speech, REP_SINK).wait(WAIT_S) == 0
    recorded, _ = sf.read(recorder.result.path, dtype="int16")
    assert recorded.shape[1] == 2
    reference = energy(sf.read(rep_speech, dtype="int16")[0])
    assert energy(recorded[:, 0]) == pytest.approx(reference, rel=0.1)
    assert energy(recorded[:, 1]) == pytest.approx(reference, rel=0.1)


def test_two_devices_become_the_two_channels_in_step(pulse, rep_speech, customer_speech):
    """Rep and customer devices land on left and right, each voice only on its own channel, at the right times."""
    watch = AudioWatch()
    with Recorder(devices=[REP_DEVICE, CUSTOMER_DEVICE], channels=2, on_chunk=[watch]) as recorder:
        assert watch.flowing.wait(WAIT_S)
        started_rep = recorder.elapsed_s
        rep = pulse.play(rep_speech, REP_SINK)
        assert rep.wait(WAIT_S) == 0
        started_customer = recorder.elapsed_s
        assert pulse.play(customer_speech, CUSTOMER_SINK).wait(WAIT_S) == 0
    recorded, rate = sf.read(recorder.result.path, dtype="int16")
    left, right = recorded[:, 0], recorded[:, 1]
    assert energy(left) == pytest.approx(energy(sf.read(rep_speech, dtype="int16")[0]), rel=0.1)
    assert energy(right) == pytest.approx(energy(sf.read(customer_speech, dtype="int16")[0]), rel=0.1)
    rep_start, rep_end = speech_span_s(left, rate)
    customer_start, _ = speech_span_s(right, rate)
    # Each voice starts after its playback was started, and the customer after the rep had finished.
    assert started_rep <= rep_start < started_customer <= customer_start
    assert rep_end < customer_start


def test_stops_by_itself_after_the_set_length(pulse):
    """max_seconds gives exactly that many frames and finishes the file without stop() being called."""
    recorder = Recorder(devices=[REP_DEVICE], max_seconds=0.75)
    recorder.start()
    assert recorder.finished.wait(WAIT_S)
    result = recorder.stop()
    assert (result.stop_reason, result.frames) == (StopReason.DURATION_REACHED, 12000)
    assert sf.info(result.path).frames == 12000


def test_low_disk_space_stops_cleanly_and_keeps_a_valid_file(pulse):
    """A free-space threshold above what the disk has stops at once, says why, and leaves a readable WAV."""
    free = shutil.disk_usage(paths.recordings_dir()).free
    recorder = Recorder(devices=[REP_DEVICE], min_free_bytes=free + 10**12)
    recorder.start()
    assert recorder.finished.wait(WAIT_S)
    result = recorder.stop()
    assert result.stop_reason is StopReason.LOW_DISK
    assert "disk is almost full" in result.message and str(result.path) in result.message
    assert result.path.exists() and not recorder.partial_path.exists()
    assert sf.info(result.path).frames == result.frames


def test_a_failing_consumer_does_not_stop_the_recording(pulse):
    """A chunk consumer that raises is detached; the recording and the other consumers carry on."""

    def broken(frames, samplerate):
        raise RuntimeError("recogniser crashed")

    watch = AudioWatch(recorder_seconds=0.5)
    with Recorder(devices=[REP_DEVICE], on_chunk=[broken, watch]) as recorder:
        assert watch.flowing.wait(WAIT_S)
    assert recorder.result.stop_reason is StopReason.REQUESTED
    assert recorder.result.frames == len(watch.audio()) >= 8000


def test_a_stop_that_cannot_finish_times_out_and_keeps_the_recording(pulse):
    """When the writer cannot finish (here a chunk consumer hangs), stop() gives up after its timeout with an
    AudioError naming the partial file, which holds the audio so far as a valid WAV that recovery leaves alone;
    once the consumer lets go, the writer still finishes the file with everything recorded."""
    watch = AudioWatch(recorder_seconds=1.0)
    hung, release = threading.Event(), threading.Event()

    def hanging(frames, samplerate):
        if watch.flowing.is_set():
            hung.set()
            release.wait(WAIT_S)

    recorder = Recorder(devices=[REP_DEVICE], on_chunk=[watch, hanging])
    recorder.start()
    try:
        assert hung.wait(WAIT_S)
        began = time.monotonic()
        with pytest.raises(AudioError, match="did not finish within 0.5 s") as error:
            recorder.stop(timeout_s=0.5)
        assert time.monotonic() - began < 5.0
        assert str(recorder.partial_path) in str(error.value)
        assert not recorder.path.exists() and is_being_written(recorder.partial_path)
        kept = sf.info(recorder.partial_path).frames
        assert kept >= 0.5 * 16000  # synced to disk before the hang: playable as it stands
    finally:
        release.set()
    assert recorder.finished.wait(WAIT_S)
    result = recorder.stop()
    assert result.stop_reason is StopReason.REQUESTED and result.path == recorder.path
    assert not recorder.partial_path.exists()
    assert sf.info(result.path).frames == result.frames >= kept


def test_device_problems_are_audio_errors_and_leave_no_file(pulse, tmp_path):
    """A bad device number or an existing file fail before recording, with nothing left."""
    with pytest.raises(AudioError, match="no microphone '4242'"):
        Recorder(tmp_path / "a.wav", devices=[4242]).start()
    existing = tmp_path / "taken.wav"
    existing.write_bytes(b"keep me")
    with pytest.raises(AudioError, match="taken.wav already exists"):
        Recorder(existing, devices=[REP_DEVICE]).start()
    assert existing.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.wav"]


def test_a_device_that_dies_stops_the_recording_and_keeps_the_audio(pulse, tmp_path, monkeypatch):
    """When the sound server behind the microphone dies mid-recording, the recording stops by itself, saved."""
    doomed = start_pulse_server(tmp_path / "doomed")
    try:
        monkeypatch.setenv("PULSE_SERVER", doomed.env["PULSE_SERVER"])  # same device names, this server
        watch = AudioWatch()
        recorder = Recorder(devices=[REP_DEVICE], stall_timeout_s=1.0, on_chunk=[watch])
        recorder.start()
        assert watch.flowing.wait(WAIT_S)
        doomed.processes[0].kill()
        assert recorder.finished.wait(WAIT_S)
    finally:
        doomed.stop()
    result = recorder.stop()
    assert result.stop_reason is StopReason.DEVICE_STOPPED
    assert "microphone stopped sending audio" in result.message
    assert sf.info(result.path).frames == result.frames >= 0.3 * 16000
