"""Text keys for searching and sorting Swedish names."""

from __future__ import annotations

import re
import unicodedata

# Swedish alphabetical order puts å, ä, ö after z (in that order); code points do not.
_SORT_TAIL = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _strip_marks(text: str) -> str:
    """Drop accents except on å, ä, ö, which are letters of their own in Swedish."""
    out = []
    for ch in text:
        if ch in "åäöÅÄÖ":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def search_key(text: str) -> str:
    """A case- and accent-insensitive key: 'Åsa Lindén' -> 'åsa linden'."""
    folded = _strip_marks(unicodedata.normalize("NFC", text)).casefold()
    return " ".join(_WORD.findall(folded))


def search_words(text: str) -> list[str]:
    """The words of `text` as search keys, each one on its own."""
    return search_key(text).split()


def sort_key(text: str) -> str:
    """A key that sorts in Swedish alphabetical order with plain string comparison."""
    return search_key(text).translate(_SORT_TAIL)


_NOT_DIGIT = re.compile(r"[^0-9]")


def digits_only(text: str) -> str:
    """The ASCII digits of `text`, in order."""
    return _NOT_DIGIT.sub("", text)


def phone_key(text: str) -> str:
    """Phone digits in national form: '+46 70-123 45 67' -> '0701234567'."""
    digits = digits_only(text)
    if text.strip().startswith("+46") or (digits.startswith("46") and len(digits) >= 11):
        national = digits[2:]
    elif digits.startswith("0046"):
        national = digits[4:]
    else:
        return digits
    # '+46 (0)70-…': the trunk 0 some people write after the country code is not dialled.
    return "0" + (national[1:] if national.startswith("0") else national)
