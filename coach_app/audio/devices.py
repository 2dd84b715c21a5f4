"""Microphones and speakers through sounddevice/PortAudio: listing, choosing, and errors that name the device and
what to do."""

import errno
import sys
from dataclasses import dataclass
from types import ModuleType

from coach_app.errors import AudioError

# PortAudio error codes (portaudio.h) that deserve their own advice.
PA_INVALID_CHANNEL_COUNT = -9998
PA_INVALID_SAMPLE_RATE = -9997
PA_INVALID_DEVICE = -9996
PA_DEVICE_UNAVAILABLE = -9985

_CHOOSE_HINT = "run `coach-app record --list-devices` to see the microphones"


@dataclass(frozen=True)
class AudioDevice:
    """One capture or playback device as PortAudio reports it (`channels` in that direction)."""

    index: int
    name: str
    channels: int
    default_samplerate: float
    host_api: str
    is_default: bool

    @property
    def label(self) -> str:
        return f"'{self.name}' (device {self.index})"


def load_sounddevice() -> ModuleType:
    """Import sounddevice lazily (it starts PortAudio), turning a missing PortAudio library into an AudioError."""
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        advice = {
            "linux": "install it (Debian/Ubuntu: `sudo apt install libportaudio2`)",
            "darwin": "reinstall Listening Coach, or install PortAudio with `brew install portaudio`",
        }.get(sys.platform, "reinstall Listening Coach")
        raise AudioError(f"The audio library PortAudio could not be loaded ({exc}): {advice}, then try again.") from exc
    return sounddevice


def refresh_devices() -> None:
    """Rescan devices: PortAudio lists them once at start-up. Call only while no recording is running."""
    sd = load_sounddevice()
    sd._terminate()
    sd._initialize()


def list_input_devices() -> list[AudioDevice]:
    """Every device with at least one input channel, in PortAudio's order."""
    return _list_devices("max_input_channels", 0)


def list_output_devices() -> list[AudioDevice]:
    """Every device with at least one output channel (speakers, headsets), in PortAudio's order."""
    return _list_devices("max_output_channels", 1)


def _list_devices(channels_key: str, default_slot: int) -> list[AudioDevice]:
    sd = load_sounddevice()
    host_apis = sd.query_hostapis()
    default_index = sd.default.device[default_slot]
    return [
        AudioDevice(
            index=info["index"],
            name=info["name"],
            channels=info[channels_key],
            default_samplerate=info["default_samplerate"],
            host_api=host_apis[info["hostapi"]]["name"],
            is_default=info["index"] == default_index,
        )
        for info in sd.query_devices()
        if info[channels_key] > 0
    ]


def default_input_device() -> AudioDevice:
    """The system's default microphone, else the first one; AudioError when there is none."""
    devices = list_input_devices()
    if not devices:
        raise AudioError(
            "No microphone was found: connect one (or enable it in the system's sound settings) and try again."
        )
    return next((device for device in devices if device.is_default), devices[0])


def find_input_device(spec: int | str | None = None) -> AudioDevice:
    """The device with this index, exact name or unique name fragment; the default one when `spec` is None."""
    if spec is None:
        return default_input_device()
    devices = list_input_devices()
    if isinstance(spec, str) and spec.strip().isdigit():
        spec = int(spec)
    if isinstance(spec, int):
        matches = [device for device in devices if device.index == spec]
    else:
        matches = [device for device in devices if device.name == spec] or [
            device for device in devices if spec.lower() in device.name.lower()
        ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(device.label for device in matches)
        raise AudioError(f"Several microphones match '{spec}' ({names}): give the device number instead.")
    available = ", ".join(device.label for device in devices) or "none"
    raise AudioError(f"There is no microphone '{spec}' (available: {available}): {_CHOOSE_HINT} and pick one.")


def portaudio_error_to_audio_error(exc: Exception, device: AudioDevice) -> AudioError:
    """One sentence for a PortAudio failure on `device`: what happened and what to do."""
    code = exc.args[1] if len(exc.args) > 1 else None
    host_code = abs(exc.args[2][1]) if len(exc.args) > 2 else None
    text = str(exc).lower()
    if code == PA_DEVICE_UNAVAILABLE or host_code == errno.EBUSY or "busy" in text:
        return AudioError(
            f"The microphone {device.label} is busy: close other programs using it (calls, recorders) and try again."
        )
    if host_code in (errno.EACCES, errno.EPERM) or "permission" in text or "denied" in text:
        return AudioError(
            f"Listening Coach is not allowed to use the microphone {device.label}: allow microphone access in the "
            "system's privacy settings (on Linux, add your user to the 'audio' group) and try again."
        )
    if code == PA_INVALID_DEVICE:
        return AudioError(f"The microphone {device.label} is no longer available: reconnect it, or {_CHOOSE_HINT}.")
    if code == PA_INVALID_CHANNEL_COUNT:
        return AudioError(
            f"The microphone {device.label} has {device.channels} input channel(s), fewer than asked for: record "
            "mono, or use two devices for two channels."
        )
    return AudioError(
        f"The microphone {device.label} could not be opened ({exc}): check it is connected, or {_CHOOSE_HINT}."
    )
