"""The parts of voice separation on their own: speech activity, speaker embeddings, pitch and level
normalisation."""

import subprocess

import numpy as np
import soundfile as sf
import speech

from coach_app.transcription.level import LevelNormaliser
from coach_app.transcription.pitch_track import PitchTrack
from coach_app.transcription.speech_detector import SpeechDetector
from coach_app.transcription.voice_encoder import mel_frames, voice_encoder
from coach_app.transcription.voice_track import cepstra_of_mels

TEXT = "I am sorry to hear that, let me check the order for you right now."


def embedding(samples: np.ndarray) -> np.ndarray:
    return voice_encoder().embed([mel_frames(samples.astype(np.float32) / 32768.0)])[0]


def test_same_voice_embeddings_are_closer_than_different_voices():
    """Two sentences by one voice are more alike than the same sentence by a male and a female voice."""
    male = embedding(speech.synthesize(TEXT, "en-us+m3"))
    male_again = embedding(speech.synthesize("Thank you for calling, how can I help you today?", "en-us+m3"))
    female = embedding(speech.synthesize(TEXT, "en+f2"))
    assert np.isclose(np.linalg.norm(male), 1.0, atol=1e-5)
    assert male @ male_again > male @ female + 0.05


def test_windows_of_different_lengths_embed_as_if_alone():
    """Batching windows of different lengths (padded at the front) gives each the embedding it gets alone."""
    mels = mel_frames(speech.synthesize(TEXT, "en+f2").astype(np.float32) / 32768.0)
    short, long = mels[:80], mels[:150]
    together = voice_encoder().embed([short, long])
    alone = np.concatenate([voice_encoder().embed([short]), voice_encoder().embed([long])])
    assert np.abs(together - alone).max() < 1e-5


def test_mel_cepstrum_models_tell_same_sex_voices_apart_at_any_level():
    """A full-covariance Gaussian of each voice's mel cepstrum, learned from one sentence, explains that voice's
    next sentence better than the other voice's model does, though it is spoken 20 dB quieter (the resegmentation's
    evidence; the two male voices of the same-sex test call)."""

    def cepstra(text: str, voice: str, gain: float = 1.0) -> np.ndarray:
        mels = mel_frames(speech.synthesize(text, voice).astype(np.float32) / 32768.0 * gain)
        return cepstra_of_mels(mels[mels.sum(axis=1) > 1e-3 * np.median(mels.sum(axis=1))]).astype(np.float64)

    def log_likelihood(heard: np.ndarray, frames: np.ndarray) -> np.ndarray:
        covariance = np.cov(heard.T) + 1e-3 * np.eye(heard.shape[1])
        offset = frames - heard.mean(axis=0)
        distance = np.einsum("ij,jk,ik->i", offset, np.linalg.inv(covariance), offset)
        return -0.5 * (distance + np.linalg.slogdet(covariance)[1])

    voices = ("en-us+m1", "en-gb+m7")
    learned = [cepstra(TEXT, voice) for voice in voices]
    for own, voice in enumerate(voices):
        later = cepstra("Thank you for calling, how can I help you today?", voice, gain=0.1)
        ratio = log_likelihood(learned[own], later) - log_likelihood(learned[1 - own], later)
        assert ratio.mean() > 1.0
        assert (ratio > 0).mean() > 0.6


def test_speech_detector_hears_speech_not_silence_or_music(tmp_path):
    """Speech gets high speech probability; silence and plucked-note music stay low."""
    voice = np.concatenate([np.zeros(8000, np.int16), speech.synthesize(TEXT, "en-us+m3"), np.zeros(8000, np.int16)])
    music_path = tmp_path / "music.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "16000",
            "-b",
            "16",
            "-c",
            "1",
            str(music_path),
            "synth",
            "0.5",
            "pluck",
            "C4",
            "pluck",
            "E4",
            "pluck",
            "G4",
            "repeat",
            "6",
            "vol",
            "0.5",
        ],
        check=True,
    )
    music, _ = sf.read(music_path, dtype="int16")
    shares = {}
    for name, samples in (("voice", voice), ("music", music), ("silence", np.zeros(48000, np.int16))):
        detector = SpeechDetector()
        detector.add(samples)
        shares[name] = float((detector.probabilities() >= 0.5).mean())
    assert shares["voice"] > 0.5 and shares["music"] < 0.1 and shares["silence"] == 0.0, shares


def test_level_normaliser_raises_quiet_speech_and_removes_offset():
    """Speech at −40 dBFS comes out near the speaking level; a DC offset is removed; loud audio is not lowered."""
    voice = speech.synthesize(TEXT, "en-us+m3").astype(np.float64)
    quiet = voice * (10 ** (-40 / 20) * 32768 / np.sqrt(np.mean(voice**2))) + 2000  # plus a DC offset
    normaliser = LevelNormaliser()
    out = np.concatenate([normaliser.process(block.astype(np.int16)) for block in np.array_split(quiet, 40)])
    tail = out[len(out) // 2 :].astype(np.float64)
    assert abs(tail.mean()) < 100
    assert 20 * np.log10(np.sqrt(np.mean(tail**2)) / 32768) > -30
    loud = LevelNormaliser()
    processed = loud.process(voice.astype(np.int16))
    assert np.sqrt(np.mean(processed.astype(np.float64) ** 2)) >= 0.95 * np.sqrt(np.mean(voice**2))


def test_pitch_track_follows_voices_streamed_in_pieces():
    """The same sentence spoken low and high, streamed in 0.1 s pieces: one pitch per 10 ms frame, NaN in silence
    and about the difference eSpeak's pitch setting makes (its pitch 30 → 70: ~6.5 semitones)."""
    gap = np.zeros(16000, np.int16)
    low, high = speech.synthesize(TEXT, "en-us+m4", pitch=30), speech.synthesize(TEXT, "en-us+m4", pitch=70)
    audio = np.concatenate([low, gap, high]).astype(np.float32) / 32768.0
    track = PitchTrack(16000, 0.01)
    for begin in range(0, len(audio), 1600):
        track.add(audio[begin : begin + 1600])
    semitones = 12 * track.finish()
    assert abs(len(semitones) - len(audio) / 160) <= 1
    frames_low, frames_gap = len(low) // 160, len(gap) // 160
    silence = semitones[frames_low + 20 : frames_low + frames_gap - 20]
    assert np.isnan(silence).all()
    spoken_low = np.nanmedian(semitones[:frames_low])
    spoken_high = np.nanmedian(semitones[frames_low + frames_gap :])
    assert 5.0 < spoken_high - spoken_low < 8.0
    assert 50 < 2 ** (spoken_low / 12) < 120  # Hz: a low male voice
