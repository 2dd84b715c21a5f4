"""onnxruntime, imported the one way the app uses it (Silero VAD, the sentence encoders): telemetry off first.

Its telemetry uploader (never wanted offline) would look up Microsoft's server and retry in a background thread that
draws on the C library's random numbers, which Kaldi's dither also uses, so it made transcripts vary.
"""

import os


def onnxruntime():
    """The onnxruntime module, imported on first use (it takes a moment) with its telemetry disabled."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime as runtime

    return runtime
