"""Scenario test fixtures: the private PulseAudio server, with the customer's voice going to its own sink."""

import pytest
from pulse_server import CUSTOMER_SINK, PulseServer, start_pulse_server

from coach_app.audio.devices import refresh_devices


@pytest.fixture(scope="module")
def pulse_for_practice(tmp_path_factory) -> PulseServer:
    """PulseAudio null sinks: the rep's microphone hears `coach_sink`; default playback goes to `customer_sink`.

    Module-scoped, so `PULSE_SINK` and the server's environment are restored before other test folders run.
    """
    try:
        server = start_pulse_server(tmp_path_factory.mktemp("pulse"))
    except RuntimeError as exc:
        pytest.fail(f"The PulseAudio test devices could not start: {exc}", pytrace=False)
    with pytest.MonkeyPatch.context() as env:
        for name, value in {**server.env, "PULSE_SINK": CUSTOMER_SINK}.items():
            env.setenv(name, value)
        refresh_devices()
        yield server
    server.stop()
    refresh_devices()
