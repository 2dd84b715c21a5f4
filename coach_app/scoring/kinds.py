"""Every finding kind the analysis (or the voice-delivery analysis) can report, with what it means."""

POSITIVE_KINDS: dict[str, str] = {
    "open_question": "An open question that lets the customer explain in their own words.",
    "clarifying_question": "A question asking the customer to say more or clarify ('Can you tell me more about…').",
    "reflection": "Restating the customer's last turn in the rep's own words, with or without an opener.",
    "summary": "Recapping several points of the conversation or the agreed steps ('Just to recap…').",
    "empathy": "Naming or validating the customer's feelings ('That must have been frustrating').",
    "acknowledgement": "Showing the point was heard ('I understand', 'I see what you mean').",
    "appreciation": "Thanking the customer ('Thank you for your patience').",
    "apology": "An apology that takes ownership ('I'm sorry we let you down').",
    "patience": "Giving the customer room ('Take your time').",
    "action_plan": "A concrete next step with an owner and a time ('I will call you on Friday').",
    "agreement_check": "Checking the customer agrees with the plan ('Does that work for you?').",
    "needs_question": "Asking what matters to the customer ('What would a good outcome look like?').",
    "customer_words": "Reusing the customer's own words or needs from earlier in the call.",
    "backchannel": "A short 'mm-hmm' or 'right' while the customer keeps talking.",
    "talk_share_balanced": "The customer did most of the talking.",
    "voice_pace_calm": "Voice analysis: a calm, unhurried speaking pace.",
    "voice_lively": "Voice analysis: a lively, varied intonation.",
}

NEUTRAL_KINDS: dict[str, str] = {
    "closed_question": "A yes/no or single-fact question ('What's your account number?').",
}

NEGATIVE_KINDS: dict[str, str] = {
    "blame_shifting": "Blaming the customer or someone else, or a non-apology ('It's not our fault').",
    "judgemental": "Judgemental or condescending words ('calm down', 'obviously', 'like I said').",
    "dismissive": "Brushing the concern aside ('that's the policy', 'I understand, but…').",
    "rushing": "Hurrying the customer or closing them down ('anything else?' before the concern is dealt with).",
    "vague_promise": "A next step with no owner or no time ('someone will get back to you').",
    "interruption": "Starting to talk while the customer was still speaking.",
    "quick_response": "Answering with less than the rubric's minimum pause after the customer stopped.",
    "dead_air": "A silence longer than the rubric's dead-air threshold before answering.",
    "long_monologue": "The rep talked longer than the rubric's monologue threshold without a customer turn.",
    "fast_pace": "A rep turn spoken faster than the rubric's words-per-minute range.",
    "filler_words": "Filler words such as 'um', 'uh', 'you know'.",
    "talk_share_high": "The rep did more of the talking than the rubric allows.",
    "voice_pace_fast": "Voice analysis: speaking fast.",
    "voice_raised": "Voice analysis: a raised voice.",
    "voice_monotone": "Voice analysis: a flat, monotone voice.",
    "voice_loudness_swings": "Voice analysis: large swings in loudness.",
}

KINDS: dict[str, str] = {**POSITIVE_KINDS, **NEUTRAL_KINDS, **NEGATIVE_KINDS}

# What the screens and reports call each kind: a short human name (the kind key itself stays the contract).
KIND_LABELS: dict[str, str] = {
    "open_question": "Open question",
    "clarifying_question": "Clarifying question",
    "reflection": "Reflection",
    "summary": "Summary",
    "empathy": "Empathy",
    "acknowledgement": "Acknowledgement",
    "appreciation": "Thanks",
    "apology": "Apology",
    "patience": "Patience",
    "action_plan": "Clear next step",
    "agreement_check": "Checked agreement",
    "needs_question": "Needs question",
    "customer_words": "Used the customer's words",
    "backchannel": "Backchannel",
    "talk_share_balanced": "Let the customer talk",
    "voice_pace_calm": "Calm pace",
    "voice_lively": "Lively voice",
    "closed_question": "Closed question",
    "blame_shifting": "Blame shifting",
    "judgemental": "Judgemental words",
    "dismissive": "Dismissive",
    "rushing": "Rushing",
    "vague_promise": "Vague promise",
    "interruption": "Interruption",
    "quick_response": "Answered too quickly",
    "dead_air": "Long silence",
    "long_monologue": "Long monologue",
    "fast_pace": "Spoke fast",
    "filler_words": "Filler words",
    "talk_share_high": "Talked too much",
    "voice_pace_fast": "Fast voice",
    "voice_raised": "Raised voice",
    "voice_monotone": "Monotone voice",
    "voice_loudness_swings": "Loudness swings",
}


def kind_label(kind: str) -> str:
    """The human name of a finding kind; an unknown kind (from a newer rubric) reads as words."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()
