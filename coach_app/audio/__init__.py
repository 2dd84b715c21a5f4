"""Audio capture: microphones, crash-safe WAV recording, recovery of interrupted recordings."""
