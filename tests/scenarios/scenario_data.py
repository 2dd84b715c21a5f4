"""A small valid scenario as parsed TOML, for tests that need full control over one key at a time."""

import copy

_VALID = {
    "id": "test-call",
    "title": "A test call",
    "domain": "testing",
    "difficulty": "easy",
    "brief": "Listen to the customer.",
    "opening": "My parcel is late.",
    "facts": ["It was due on Monday.", "I paid for fast delivery."],
    "persona": {"name": "Ann", "mood": "annoyed", "voice": {"gender": "female", "language": "en-us", "rate_wpm": 160}},
    "hidden_needs": [
        {"id": "gift", "description": "It is a gift.", "reveal": "It was a gift for my son.", "topics": ["else"]},
        {
            "id": "deadline",
            "description": "It must come by Saturday.",
            "reveal": "His party is on Saturday.",
            "requires": ["gift"],
            "unlocked_by": ["reflection"],
        },
    ],
    "reactions": {
        "calmer": ["Thanks.", "Okay, good.", "Right."],
        "escalated": ["Excuse me?", "Don't talk to me like that.", "Unbelievable."],
        "neutral": ["So?", "Well?"],
        "not_yet": ["That doesn't help with the party."],
    },
    "resolution": {"requires_needs": ["deadline"]},
    "closing": {"resolved": ["Thank you, that's perfect."], "escalated": ["I'm done. Goodbye."]},
}


def valid_scenario_dict() -> dict:
    """A fresh deep copy, safe to break in a test."""
    return copy.deepcopy(_VALID)
