"""User-facing errors: each message says what happened, where, and what to do."""


class CoachError(Exception):
    """A problem the user can act on; shown as one sentence, never as a traceback."""


class FileError(CoachError):
    """A file named for reading or writing is not a regular file, too large, unreadable, or cannot be written."""


class TranscriptError(CoachError):
    """A transcript file is unreadable or breaks the transcript format."""


class RubricError(CoachError):
    """A rubric file is unreadable or invalid."""


class LexiconError(CoachError):
    """A phrase lexicon file under resources/lexicons is unreadable or invalid."""


class AudioError(CoachError):
    """An audio device or audio file cannot be used."""


class ModelError(CoachError):
    """A speech model is missing, broken or cannot be installed."""


class StorageError(CoachError):
    """The sessions database or a stored file cannot be used."""


class ScenarioError(CoachError):
    """A practice scenario file is unreadable or invalid."""


class Cancelled(CoachError):
    """The user cancelled a long-running task."""
