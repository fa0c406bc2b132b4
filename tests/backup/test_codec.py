"""Cells keep what a plain CSV loses: NULL apart from an empty text, and the text that looks like NULL."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from backup import codec
from customers.models import Customer
from imports.models import ImportBatch
from interactions.models import Interaction

HISTORY_REASON = Customer.history.model._meta.get_field("history_change_reason")


@pytest.mark.parametrize(("value", "cell"), [
    (None, "\\N"),
    ("", ""),
    ("\\N", "\\\\N"),
    ("\\", "\\\\"),
    ("a \\N inside", "a \\N inside"),
    ("Zoë, \"quoted\"\nnext line", "Zoë, \"quoted\"\nnext line"),
])
def test_a_text_and_null_each_have_their_own_cell(value, cell):
    assert codec.encoder(HISTORY_REASON)(value) == cell
    assert codec.decoder(HISTORY_REASON, connection)(cell) == value


def test_other_types_are_written_in_their_iso_or_plain_form():
    charged = Interaction._meta.get_field("amount_charged")
    occurred = Interaction._meta.get_field("occurred_at")
    asked = Interaction._meta.get_field("asked_for_sale")
    moment = datetime.datetime(2026, 3, 10, 14, 5, 9, 120000, tzinfo=datetime.UTC)

    assert codec.encoder(charged)(Decimal("1E+2")) == "100"
    assert codec.encoder(occurred)(moment) == "2026-03-10T14:05:09.120000+00:00"
    assert codec.encoder(asked)(False) == "false"
    assert codec.encoder(Interaction._meta.get_field("customer"))(7) == "7"


def test_json_null_in_a_column_that_cannot_be_null_is_json_text():
    assert codec.encoder(ImportBatch._meta.get_field("sheets"))(None) == "null"
    assert codec.encoder(ImportBatch._meta.get_field("checked"))(None) == "\\N"


def test_a_cell_that_is_no_boolean_is_refused():
    with pytest.raises(ValueError, match="not a boolean"):
        codec.decoder(Interaction._meta.get_field("asked_for_sale"), connection)("yes")
