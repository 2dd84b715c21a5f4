"""The speech-recognition form of the service-turn corpus: what a recogniser would have written for each turn.

Run: `.venv/bin/python training/asr_form.py` (after the corpus changes). For every file
`data/service_turns/part_*/NAME.jsonl` it writes `data/service_turns/asr/part_*/NAME.jsonl`, one line per corpus
line in the same order: `{"conv", "turn", "customer_asr", "rep_asr"}`. The corpus files are never changed.
`training/asr_form.py --calls FOLDER` does the same for whole calls in the app's transcript format (the held-out
calls of `data/heldout_calls_2/`): `NAME.json` gives `NAME_asr.json`, every turn's text in recognised form.

The form is lower case without punctuation, with numbers, money, times and symbols spelled out as a recogniser
writes them ("£60" → "sixty pounds", "5:30pm" → "five thirty p m", "24/7" → "twenty four seven"), as the
analysis's `asr_normalise` would then see them. Then, at low rates, the recogniser's usual slips: a short function
word dropped, a homophone ("there" for "their", "to" for "two"), a word split or two merged ("any way",
"alright"). The slips are drawn from a random generator seeded by the conversation, turn and side, so the same
corpus always gives the same form.
"""

import hashlib
import json
import random
import re
import sys
from pathlib import Path

from num2words import num2words

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coach_app.analysis.utterance_features import asr_normalise  # noqa: E402

CORPUS = REPO / "data" / "service_turns"
DROP_RATE = 0.03  # of droppable short words
HOMOPHONE_RATE = 0.04  # of words with a homophone
SPLIT_MERGE_RATE = 0.04  # of words (or pairs) that can be split or merged
DROPPABLE = frozenset(
    ["a", "an", "the", "to", "of", "and", "is", "it", "that", "i", "you", "we", "in", "on", "for", "so", "just"]
)
HOMOPHONES = {
    "their": "there",
    "there": "their",
    "they're": "there",
    "to": "too",
    "too": "to",
    "two": "to",
    "for": "four",
    "four": "for",
    "your": "you're",
    "you're": "your",
    "its": "it's",
    "it's": "its",
    "know": "no",
    "no": "know",
    "right": "write",
    "here": "hear",
    "hear": "here",
    "by": "buy",
    "buy": "by",
    "wait": "weight",
    "new": "knew",
    "knew": "new",
    "through": "threw",
    "would": "wood",
    "whole": "hole",
    "week": "weak",
    "our": "are",
    "we'll": "will",
    "i'll": "all",
    "where": "wear",
    "which": "witch",
    "sale": "sail",
    "mail": "male",
    "fare": "fair",
    "fair": "fare",
    "then": "than",
    "than": "then",
    "accept": "except",
    "meet": "meat",
    "allowed": "aloud",
    "weather": "whether",
    "whether": "weather",
}
SPLITS = {
    "anyway": "any way",
    "cannot": "can not",
    "into": "in to",
    "maybe": "may be",
    "everyday": "every day",
    "online": "on line",
    "someone": "some one",
    "anything": "any thing",
    "everything": "every thing",
    "today": "to day",
    "tomorrow": "to morrow",
    "already": "all ready",
    "okay": "o k",
    "email": "e mail",
    "login": "log in",
    "checkout": "check out",
}
MERGES = {"all right": "alright", "a lot": "alot", "any more": "anymore", "in to": "into", "set up": "setup"}
CURRENCY = {"£": ("pound", "pounds", "pence"), "$": ("dollar", "dollars", "cents"), "€": ("euro", "euros", "cents")}
SYMBOLS = {"&": " and ", "@": " at ", "%": " percent ", "+": " plus ", "=": " equals ", "#": " number "}


def _words(number: str, ordinal: bool = False) -> str:
    value = int(number)
    if ordinal:
        return num2words(value, to="ordinal")
    if 1900 <= value <= 2099 and len(number) == 4:
        return num2words(value, to="year")
    if len(number) > 1 and number.startswith("0") or len(number) >= 7:  # account numbers, phone numbers: digits
        return " ".join(num2words(int(d)).replace("zero", "oh") for d in number)
    return num2words(value)


def _money(match: re.Match[str]) -> str:
    singular, plural, cents = CURRENCY[match["sym"]]
    whole = match["whole"].replace(",", "")
    words = f"{_words(whole)} {singular if whole == '1' else plural}"
    if match["frac"] and int(match["frac"]):
        words += f" {_words(match['frac'].lstrip('0') or '0')} {cents}"
    return f" {words} "


def _time(match: re.Match[str]) -> str:
    hour, minute, meridiem = match["h"], match["m"], (match["ampm"] or "").lower().replace(".", "")
    words = _words(hour)
    if minute and minute != "00":
        words += " " + ("oh " + _words(minute[1]) if minute.startswith("0") else _words(minute))
    elif minute == "00" and not meridiem:
        words += " hundred" if len(hour) == 2 and hour.startswith("0") else " o'clock"
    if meridiem:
        words += " " + " ".join(meridiem)
    return f" {words} "


def spell_out(text: str) -> str:
    """Numbers, money, times and symbols as a recogniser writes them (case and other punctuation kept)."""
    text = text.replace("’", "'").replace("‘", "'").replace("–", " ").replace("—", " ")
    text = re.sub(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", lambda m: m[0].replace("@", " at ").replace(".", " dot "), text)
    text = re.sub(r"(?P<sym>[£$€])(?P<whole>\d[\d,]*)(?:\.(?P<frac>\d\d))?(?P<k>k\b)?", _money, text)
    text = re.sub(r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?\s*(?P<ampm>[ap]\.?m\.?)(?=\W|$)", _time, text, flags=re.I)
    text = re.sub(r"\b(?P<h>\d{1,2}):(?P<m>\d\d)(?P<ampm>)\b", _time, text)
    clock = r"\b(?P<at>at|by|from|until|till|before|after|around) (?P<h>\d{1,2})\.(?P<m>[0-5]\d)(?P<ampm>)\b"
    text = re.sub(clock, lambda m: m["at"] + _time(m), text, flags=re.I)
    # A phone or account number read out in groups ("0800 123 4567"): digit by digit.
    text = re.sub(r"\b\d{3,}(?: \d{3,})+\b", lambda m: f" {_digits(m[0].replace(' ', ''))} ", text)
    text = re.sub(r"\b(\d+)/(\d+)\b", r"\1 \2", text)
    text = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: f" {_words(m[1], ordinal=True)} ", text)
    text = re.sub(r"\b(\d[\d,]*)\.(\d+)\b", lambda m: f" {_words(m[1].replace(',', ''))} point {_digits(m[2])} ", text)
    text = re.sub(r"\b\d{1,3}(,\d{3})+\b", lambda m: m[0].replace(",", ""), text)
    text = re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", text)  # "AB12" → "AB 12"
    text = re.sub(r"\d+", lambda m: f" {_words(m[0])} ", text)
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, word)
    return text


def _digits(digits: str) -> str:
    return " ".join(num2words(int(d)).replace("zero", "oh") for d in digits)


def _letters_of_acronyms(text: str) -> str:
    """Upper-case acronyms as spoken letters ("ID" → "i d"); pronounceable ones would be words, but most are not."""
    return re.sub(r"\b[A-Z]{2,5}\b", lambda m: " ".join(m[0]) if m[0] not in {"OK", "ASAP"} else m[0], text)


def clean(text: str) -> str:
    """Lower-case words, apostrophes kept, everything else a space: the recogniser's form without slips."""
    spoken = _letters_of_acronyms(spell_out(text)).replace("-", " ")
    return " ".join(asr_normalise(re.sub(r"[^\w' ]", " ", spoken)).split()).replace(" ' ", " ").strip("'")


def with_slips(words: list[str], rng: random.Random) -> list[str]:
    """The words with a recogniser's occasional slips: dropped short words, homophones, splits and merges."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in MERGES and rng.random() < SPLIT_MERGE_RATE * 3:
            out.append(MERGES[pair])
            i += 2
            continue
        roll = rng.random()
        if word in DROPPABLE and roll < DROP_RATE:
            pass
        elif word in HOMOPHONES and roll < HOMOPHONE_RATE:
            out.append(HOMOPHONES[word])
        elif word in SPLITS and roll < SPLIT_MERGE_RATE * 3:
            out.extend(SPLITS[word].split())
        else:
            out.append(word)
        i += 1
    return out


def asr_form(text: str, key: str) -> str:
    """The recognised form of one turn; `key` (conversation, turn and side) seeds its slips."""
    seed = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return " ".join(with_slips(clean(text).split(), random.Random(seed)))


def convert_file(source: Path, target: Path) -> int:
    lines = []
    for raw in source.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        row = json.loads(raw)
        key = f"{row['conv']}/{row['turn']}"
        lines.append(
            json.dumps(
                {
                    "conv": row["conv"],
                    "turn": row["turn"],
                    "customer_asr": asr_form(row["customer"], key + "/customer"),
                    "rep_asr": asr_form(row["rep"], key + "/rep"),
                },
                ensure_ascii=False,
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def convert_call(source: Path) -> Path:
    """`NAME.json` → `NAME_asr.json` beside it: the same call with every turn's text as a recogniser writes it."""
    call = json.loads(source.read_text(encoding="utf-8"))
    for index, turn in enumerate(call["turns"]):
        turn["text"] = asr_form(turn["text"], f"{source.stem}/{index}")
    target = source.with_name(f"{source.stem}_asr.json")
    target.write_text(json.dumps(call, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def main() -> None:
    if sys.argv[1:2] == ["--calls"]:
        calls = [p for p in sorted(Path(sys.argv[2]).glob("*.json")) if not p.stem.endswith("_asr")]
        for source in calls:
            convert_call(source)
        print(f"wrote the speech-recognition form of {len(calls)} calls under {sys.argv[2]}")
        return
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    total = 0
    for source in sorted(root.glob("part_*/*.jsonl")):
        total += convert_file(source, root / "asr" / source.parent.name / source.name)
    print(f"wrote the speech-recognition form of {total} rep turns under {root / 'asr'}")


if __name__ == "__main__":
    main()
