"""Checks on raw input that must run before anything costly or anything the database could refuse."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls but tab, LF and CR; DEL; C1 controls. PostgreSQL refuses NUL in text outright, and none of the
# others is ever meant: they come from a bad paste or a script.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
CONTROL_CHARACTERS_IN_LINES = re.compile(f"[{_CONTROLS}]")
# A one-line box has no use for tab, LF or CR either: a browser never sends them from <input>.
CONTROL_CHARACTERS = re.compile(f"[{_CONTROLS}\t\n\r]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    pattern = CONTROL_CHARACTERS_IN_LINES if multiline else CONTROL_CHARACTERS
    return bool(pattern.search(text))


@deconstructible
class NoControlCharactersValidator:
    """Refuses NUL and the other control characters; `multiline` lets through the tab and line breaks of a textarea."""

    message = _("Remove the control characters (invisible characters such as NUL) from this text.")
    code = "control_characters"

    def __init__(self, *, multiline: bool = False, message=None):
        self.multiline = multiline
        if message is not None:
            self.message = message

    def __call__(self, value):
        if isinstance(value, str) and has_control_characters(value, multiline=self.multiline):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return (
            isinstance(other, NoControlCharactersValidator)
            and self.multiline == other.multiline
            and self.message == other.message
        )


# Strings are skipped whole (escapes included), so brackets inside them are not counted.
_JSON_STRINGS_AND_BRACKETS = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.DOTALL)


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, counted on the bytes without parsing them.

    json.loads recurses once per level and fails with RecursionError a few thousand levels down;
    this count is linear and lets a caller refuse a deep document before parsing it.
    """
    depth = deepest = 0
    for match in _JSON_STRINGS_AND_BRACKETS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest
