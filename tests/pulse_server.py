"""A private PulseAudio server with two null sinks: a real capture path on machines without a sound card.

Whatever is played into a sink (`paplay --device=SINK`) can be recorded from its ALSA capture device through
sounddevice: `coach_rep` hears `coach_sink` (the rep's microphone), `coach_customer` hears `customer_sink`
(the simulated customer's playback). `spare_speaker` is an output device that plays into `customer_sink`, so a
test can hear what the app sent to a chosen speaker. The server is this test session's own (socket, state and ALSA
config in a temporary folder), so it never touches a desktop's sound setup and parallel test runs cannot hear each
other.
"""

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REP_SINK, CUSTOMER_SINK = "coach_sink", "customer_sink"
REP_DEVICE, CUSTOMER_DEVICE = "coach_rep", "coach_customer"
CUSTOMER_SPEAKER = "spare_speaker"
_START_TIMEOUT_S = 15.0

_SERVER_SCRIPT = """\
load-module module-native-protocol-unix auth-anonymous=1 socket={socket}
load-module module-null-sink sink_name={rep_sink}
load-module module-null-sink sink_name={customer_sink}
set-default-sink {rep_sink}
set-default-source {rep_sink}.monitor
"""

_ASOUNDRC = """\
# Debian's JACK plugin is probed by PortAudio at every start; with no JACK server its client thread can crash
# the probing process (libjack: "pthread_setcanceltype err"). Tests have no JACK: make the name a no-op.
pcm.!jack {{
    type null
}}
pcm.{rep_device} {{
    type pulse
    device {rep_sink}.monitor
    hint {{ show on description "Test rep microphone" }}
}}
pcm.{customer_device} {{
    type pulse
    device {customer_sink}.monitor
    hint {{ show on description "Test customer playback" }}
}}
pcm.{customer_speaker} {{
    type pulse
    device {customer_sink}
    hint {{ show on description "Test speaker into the customer sink" }}
}}
"""


@dataclass
class PulseServer:
    """A running server; `env` points clients (sounddevice/ALSA, paplay, subprocesses) at it."""

    root: Path
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    def play(self, wav: Path, sink: str = REP_SINK) -> subprocess.Popen:
        """Start playing `wav` into `sink`; wait on the returned process for the end of playback."""
        return subprocess.Popen(["paplay", "--latency-msec=20", f"--device={sink}", str(wav)], env=self._client_env())

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(Path(self.env["PULSE_SERVER"].removeprefix("unix:")).parent, ignore_errors=True)

    def _client_env(self) -> dict[str, str]:
        return {**os.environ, **self.env}


def start_pulse_server(root: Path) -> PulseServer:
    """Start the server and its sinks; raises RuntimeError (with the server's log) if it does not come up."""
    missing = [tool for tool in ("pulseaudio", "pactl", "pacat", "paplay") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not installed: run `bash scripts/setup.sh --test`")
    root.mkdir(parents=True, exist_ok=True)
    # Unix socket paths are limited to ~100 bytes and CI temp folders can be deep: keep the socket short.
    socket = Path(tempfile.mkdtemp(prefix="coach-pa-", dir="/tmp" if os.path.isdir("/tmp") else None)) / "native"
    names = dict(
        rep_sink=REP_SINK,
        customer_sink=CUSTOMER_SINK,
        rep_device=REP_DEVICE,
        customer_device=CUSTOMER_DEVICE,
        customer_speaker=CUSTOMER_SPEAKER,
    )
    (root / "server.pa").write_text(_SERVER_SCRIPT.format(socket=socket, **names))
    (root / "client.conf").write_text("autospawn = no\n")  # never start a stray default daemon
    (root / "xdg" / "alsa").mkdir(parents=True)
    (root / "xdg" / "alsa" / "asoundrc").write_text(_ASOUNDRC.format(**names))
    server = PulseServer(
        root,
        {
            "PULSE_SERVER": f"unix:{socket}",
            "PULSE_RUNTIME_PATH": str(root / "runtime"),
            "PULSE_STATE_PATH": str(root / "state"),
            "PULSE_CLIENTCONFIG": str(root / "client.conf"),
            "XDG_CONFIG_HOME": str(root / "xdg"),  # alsa-lib reads $XDG_CONFIG_HOME/alsa/asoundrc
        },
    )
    log_path = root / "pulseaudio.log"
    with open(log_path, "wb") as log:
        server.processes.append(
            subprocess.Popen(
                # -n: only our script (no udev, D-Bus or hardware modules); no daemonising, idle exit, realtime
                # scheduling (rtkit needs D-Bus) or CPU limit (a busy CI machine would trip it).
                [
                    "pulseaudio",
                    "-n",
                    "-F",
                    str(root / "server.pa"),
                    "--daemonize=no",
                    "--system=false",
                    "--exit-idle-time=-1",
                    "--disallow-exit",
                    "--use-pid-file=no",
                    "--realtime=no",
                    "--high-priority=no",
                    "--no-cpu-limit",
                    "--disable-shm=yes",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**server._client_env(), "HOME": str(root)},  # its cookie and runtime link stay in `root`
            )
        )
    try:
        _wait_until_answering(server, log_path)
        # A silent stream into each sink keeps it rendering in small steps, so its monitor behaves like a live
        # microphone: a steady flow of audio from the moment a recording starts, silence when nothing plays.
        for sink in (REP_SINK, CUSTOMER_SINK):
            with open("/dev/zero", "rb") as zeros:  # the child keeps its own descriptor
                server.processes.append(
                    subprocess.Popen(
                        ["pacat", "--playback", "--latency-msec=20", f"--device={sink}", "--raw", "--format=s16le"]
                        + ["--rate=16000", "--channels=1"],
                        stdin=zeros,
                        env=server._client_env(),
                    )
                )
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_answering(server: PulseServer, log_path: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.processes[0].poll() is not None:
            break
        answer = subprocess.run(["pactl", "list", "short", "sinks"], env=server._client_env(), capture_output=True)
        if answer.returncode == 0 and CUSTOMER_SINK.encode() in answer.stdout:
            return
        time.sleep(0.1)  # the server gives no readiness signal; pactl is the only way to ask
    server.stop()
    raise RuntimeError(f"PulseAudio did not start; its log:\n{log_path.read_text(errors='replace')}")
