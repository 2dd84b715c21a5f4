"""Scenario test fixtures: the shared PulseAudio test server, with the customer's voice going to its own sink."""

import pytest
from pulse_server import CUSTOMER_SINK, PulseServer


@pytest.fixture(scope="module")
def pulse_for_practice(pulse) -> PulseServer:
    """The rep's microphone hears `coach_sink`; default playback goes to `customer_sink`.

    Module-scoped, so `PULSE_SINK` is restored before other test folders run.
    """
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PULSE_SINK", CUSTOMER_SINK)
        yield pulse
