"""core.spreadsheets: what a spreadsheet would run as a formula is written as text, in CSV and in .xlsx."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from core.spreadsheets import csv_stream, safe_cell, unescape_cell, xlsx_file

FORMULAS = ["=1+1", "+1-1", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://evil.example","x")']


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Ann Lee", "", "a=b", "'already quoted", "2+2", "Núñez", "+12025550101"])
def test_other_text_is_kept_as_it_is(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    (42, "42"),
    (Decimal("-2.50"), "-2.50"),  # a number is never a formula, whatever its sign
    (datetime.date(2026, 12, 1), "2026-12-01"),
    (datetime.datetime(2026, 12, 1, 9, 30), "2026-12-01 09:30"),
])
def test_values_that_are_not_text_are_written_plainly(value, text):
    assert safe_cell(value) == text


@pytest.mark.parametrize("text", [*FORMULAS, "Ann Lee", "'Tis the season", "", "+12025550101"])
def test_unescaping_gives_back_the_text_as_typed(text):
    assert unescape_cell(safe_cell(text)) == text


def _read_csv(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))


def test_the_csv_starts_with_a_bom_and_the_header_before_any_row_is_read():
    def rows():
        raise AssertionError("a row was read before the header was sent")
        yield  # pragma: no cover

    first = next(csv_stream(["Name", "Phone"], rows()))

    assert first == "\ufeffName,Phone\r\n".encode()


def test_the_csv_keeps_commas_quotes_and_line_breaks_and_escapes_formulas():
    rows = [["Lee, Ann", 'Say "hi"', "Gate 4\nDog: Rex"], ["=1+1", "@x", "fine"]]

    assert _read_csv(csv_stream(["A", "B", "C"], rows)) == [
        ["A", "B", "C"], ["Lee, Ann", 'Say "hi"', "Gate 4\nDog: Rex"], ["'=1+1", "'@x", "fine"],
    ]


def test_a_long_csv_comes_in_batches_not_one_piece():
    rows = ([f"Customer {i}", "x" * 100] for i in range(2000))

    chunks = list(csv_stream(["Name", "Notes"], rows))

    assert len(chunks) > 2
    assert len(_read_csv(chunks)) == 2001


def _workbook(header, rows):
    with xlsx_file(header, rows, sheet_title="Customers") as file:
        return openpyxl.load_workbook(io.BytesIO(file.read()))


def test_no_cell_of_the_workbook_is_a_formula():
    workbook = _workbook(["=Header"], [[text] for text in FORMULAS])

    cells = [row[0] for row in workbook.active.iter_rows()]
    assert [cell.data_type for cell in cells] == ["s"] * (len(FORMULAS) + 1)
    assert all(cell.value.startswith("'") for cell in cells)


def test_the_workbook_keeps_numbers_and_dates_as_such_and_drops_characters_xml_cannot_hold():
    workbook = _workbook(["Id", "Since", "Charged", "Name"], [[7, datetime.date(2026, 12, 1), Decimal("12.50"),
                                                                "Ann\x01 Lee"]])

    assert workbook.active.title == "Customers"
    assert list(workbook.active.iter_rows(min_row=2, values_only=True)) == [
        (7, datetime.datetime(2026, 12, 1), 12.5, "Ann Lee"),
    ]


def test_a_text_that_looks_like_an_excel_error_stays_text():
    workbook = _workbook(["Name"], [["#N/A"], ["#DIV/0!"]])

    cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]
    assert [(cell.data_type, cell.value) for cell in cells] == [("s", "#N/A"), ("s", "#DIV/0!")]
