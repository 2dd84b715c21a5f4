"""Speech to timed, speaker-labelled transcripts, offline with Vosk."""
