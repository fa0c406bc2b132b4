"""Any column's value as a CSV cell and back, keeping what a plain CSV loses: NULL and the type.

Written into every manifest (ENCODING), so that a backup explains itself to whoever opens it without us.
"""

import base64
import datetime
import json
from decimal import Decimal

from django.db.models import ExpressionWrapper, F, TextField

NULL = "\\N"

ENCODING = {
    "csv": "RFC 4180 (comma, double quotes), UTF-8 with a byte order mark; the first line names the columns",
    "null": "\\N is NULL; an empty cell is an empty text",
    "escape": "a text that begins with a backslash has one more backslash in front (the text \\N is \\\\N)",
    "boolean": "true or false",
    "date_time": "ISO 8601; date-times with their UTC offset",
    "decimal": "digits and a point, never an exponent",
    "json": "JSON text",
    "binary": "base64",
}

TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField", "FileField",
              "ImageField"}


def encode_value(value) -> str:
    """A value as Django reads it from the database, as a cell."""
    if value is None:
        return NULL
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return "\\" + value if value.startswith("\\") else value
    if isinstance(value, datetime.date | datetime.time):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(value).decode("ascii")
    return str(value)


INTEGER_TYPES = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                 "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"}


def _text(value) -> str:
    if value is None:
        return NULL
    return "\\" + value if value[:1] == "\\" else value


def _plain(value) -> str:
    return NULL if value is None else str(value)


def _iso(value) -> str:
    return NULL if value is None else value.isoformat()


def encoder(field):
    """The function that turns this field's values (as read_column reads them) into cells, made for its type:
    a backup encodes millions of values."""
    while field.is_relation:  # a foreign key holds its target's value
        field = field.target_field
    kind = field.get_internal_type()
    if kind == "JSONField":
        def encode_json(value):
            # Django reads JSON null as None too: in a column that cannot be NULL, it was JSON null.
            if value is None and field.null:
                return NULL
            return _text(json.dumps(value, cls=field.encoder, ensure_ascii=False))
        return encode_json
    if kind in TEXT_TYPES:
        return _text
    if kind in INTEGER_TYPES:
        return _plain
    if kind in ("DateTimeField", "DateField", "TimeField"):
        return _iso
    if hasattr(field, "from_db_value"):
        # A library's type that is not a text: back to what the column stores.
        return lambda value: encode_value(None if value is None else field.get_prep_value(value))
    return encode_value


def read_column(field):
    """What to select for this field: its column as the database holds it.

    A library's text type (a phone number) is read as plain text: parsing every number on the way out only to
    write it back as it was stored would cost more than the rest of a backup.
    """
    if field.get_internal_type() in TEXT_TYPES and hasattr(field, "from_db_value"):
        return ExpressionWrapper(F(field.attname), output_field=TextField())
    return field.attname


def decode_text(cell: str) -> str | None:
    if cell == NULL:
        return None
    return cell[1:] if cell.startswith("\\") else cell


def _boolean(cell: str) -> bool:
    if cell not in ("true", "false"):
        raise ValueError(f"not a boolean: {cell[:20]!r}")
    return cell == "true"


def decoder(field, connection):
    """The function that turns a cell into the value to write into this field's column on `connection`.

    Texts go in as they are (they were read from the column); every other type through the field's own
    conversion for this database, as Django's save does.
    """
    kind = field.get_internal_type()
    if kind in TEXT_TYPES:
        return decode_text
    if kind == "BooleanField":
        return lambda cell: None if cell == NULL else _boolean(cell)
    if kind == "JSONField":
        def decode_json(cell):
            text = decode_text(cell)
            if text is None:
                return None
            return connection.ops.adapt_json_value(json.loads(text, cls=field.decoder), field.encoder)
        return decode_json
    if kind == "BinaryField":
        return lambda cell: None if cell == NULL else field.get_db_prep_save(base64.b64decode(cell), connection)

    def decode_other(cell):
        text = decode_text(cell)
        return None if text is None else field.get_db_prep_save(field.to_python(text), connection)
    return decode_other
