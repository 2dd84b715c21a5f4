"""Audio: recording from microphones into crash-safe WAVs and recovering them, reading audio files, voice measures."""
