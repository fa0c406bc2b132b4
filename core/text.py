"""Text folding shared by storage and search, so both sides agree."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accents removed: "José Núñez" -> "jose nunez"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
