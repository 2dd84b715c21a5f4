"""Errors in the app's words: the CLI's advice ("run `coach-app …`") and system error numbers become what to do
in the window."""

import urllib.error
from http.client import HTTPException

from coach_app.errors import CoachError, ModelError

NO_CONNECTION = (
    "Couldn't reach the download server — check your connection, or import a model you downloaded elsewhere "
    "(Settings → Speech models → Import a downloaded model…)."
)
NO_MODEL = (
    "Recording needs a speech model, and none is installed yet. Open Speech models to download one, or import "
    "one you downloaded elsewhere. Typed practice works without one."
)


def for_window(exc: CoachError) -> str:
    """What the dialog says about a CoachError raised for both the CLI and the window."""
    cause = exc.__cause__
    if isinstance(exc, ModelError):
        if isinstance(cause, urllib.error.HTTPError):
            return (
                f"The download server answered “{cause.code} {cause.reason}”. Try again later, or import a model "
                "you downloaded elsewhere (Settings → Speech models → Import a downloaded model…)."
            )
        if isinstance(cause, urllib.error.URLError | OSError | HTTPException):
            return NO_CONNECTION
        if str(exc).startswith("No speech model installed"):
            return NO_MODEL
    return str(exc)
