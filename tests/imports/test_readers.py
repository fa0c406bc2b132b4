"""imports.readers: every kind of file a customer list arrives in, and every way one can be unreadable."""

import csv
import datetime
import io
import tracemalloc
from pathlib import Path

import openpyxl
import pytest

from imports.readers import VCARD_HEADER, ImportFileError, detect_kind, open_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cells(table) -> list[list]:
    return [row.cells for row in table.rows()]


def workbook_bytes(*sheets: tuple[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def vcard(*cards: list[str]) -> bytes:
    lines = [line for card in cards for line in ["BEGIN:VCARD", "VERSION:3.0", *card, "END:VCARD"]]
    return "".join(f"{line}\r\n" for line in lines).encode()


# --- CSV ---


def test_a_utf8_csv_keeps_its_accents():
    table = open_table(fixture("utf8.csv"))

    assert (table.kind, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert (table.sheet, table.sheets) == ("", [])
    assert table.header == ["Name", "Email", "Phone", "Town", "Notes"]
    assert cells(table) == [
        ["Zoë Ångström", "zoe@example.com", "+44 7700 900123", "Malmö", "Prefers mornings"],
        ["José Núñez", "jose@example.es", "+34 600 123 456", "Cádiz", ""],
        ["Chloé Dubois", "chloe@example.fr", "+33 6 12 34 56 78", "Besançon", "Gate code 4821"],
    ]
    assert [row.number for row in table.rows()] == [2, 3, 4]


def test_a_csv_with_a_bom_crlf_and_semicolons_is_read_without_the_bom():
    table = open_table(fixture("utf8-bom.csv"))

    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert table.header == ["Nom", "Courriel", "Ville", "Solde"]
    assert cells(table) == [
        ["Zoë Ångström", "zoe@example.com", "Malmö", "12,50"],
        ["José Núñez", "jose@example.es", "Cádiz", "0"],
        ["Chloé Dubois", "chloe@example.fr", "Besançon", "-3,75"],
    ]


def test_a_windows_excel_csv_is_read_as_cp1252_with_tabs():
    table = open_table(fixture("windows-1252.csv"))

    assert (table.encoding, table.delimiter) == ("cp1252", "\t")
    assert table.header == ["Name", "Email", "Notes"]
    assert cells(table) == [
        ["Renée Côté", "renee@example.fr", "Owes £40 – doesn’t mind calls"],
        ["Iñigo Peña", "inigo@example.es", "Café owner"],
        ["Zoë Ångström", "zoe@example.com", ""],
    ]


def test_quoted_fields_keep_their_newlines_commas_and_quotes():
    table = open_table(fixture("quoted.csv"))

    assert cells(table) == [
        ["Ann Lee", "ann@example.com", "Use the back door, not the front.\nThe dog is friendly."],
        ["Núñez, José", "jose@example.es", 'He said "call first"'],
        ["Bob Stone", "bob@example.com", ""],
    ]
    # Numbered as a spreadsheet shows them: the two-line note is still one row.
    assert [row.number for row in table.rows()] == [2, 3, 4]


def test_formulas_in_a_csv_come_back_as_text():
    rows = cells(open_table(fixture("formula.csv")))

    assert rows[0] == ["Ann Lee", "+44 7700 900123", "-5", "=1+1"]
    assert rows[1][3] == "@SUM(A1)"


def test_blank_rows_are_skipped_and_numbers_still_match_the_file():
    table = open_table(b"\nName,Email\n\nAnn,ann@example.com\n , \nBob,bob@example.com\n")

    assert table.header == ["Name", "Email"]
    assert [(row.number, row.cells) for row in table.rows()] == [
        (4, ["Ann", "ann@example.com"]),
        (6, ["Bob", "bob@example.com"]),
    ]


def test_short_rows_are_padded_and_long_rows_name_their_extra_columns():
    table = open_table(b"Name,,Email\nAnn\nBob,x,bob@example.com,VIP,\n")

    assert table.header == ["Name", "Column 2", "Email", "Column 4"]
    assert cells(table) == [["Ann", "", "", ""], ["Bob", "x", "bob@example.com", "VIP"]]


def test_rows_can_be_read_twice():
    table = open_table(fixture("utf8.csv"))

    first = [row.cells for row in table.rows()]

    assert [row.cells for row in table.rows()] == first
    assert len(first) == 3


def test_the_first_line_decides_the_delimiter_when_the_sniffer_cannot():
    table = open_table(b"Name;Email;Town\nAnn\n")

    assert table.delimiter == ";"
    assert table.header == ["Name", "Email", "Town"]
    assert cells(table) == [["Ann", "", ""]]


@pytest.mark.parametrize("limit", [None, 2**31 - 1])
def test_a_quote_that_is_never_closed_names_the_row(limit):
    data = b'Name,Notes\nAnn,"starts here\n' + b"and runs on,\n" * 20_000
    before = csv.field_size_limit()
    if limit:
        csv.field_size_limit(limit)  # as the backup's restore leaves it, process-wide
    try:
        with pytest.raises(ImportFileError, match="row 2"):
            open_table(data)
    finally:
        csv.field_size_limit(before)


def test_a_100000_row_csv_is_read_in_bounded_memory():
    line = 'Zoë Ångström {0},zoe{0}@example.com,+44 7700 {0:06d},Malmö,"Likes tea, biscuits and the garden"\n'
    data = b"Name,Email,Phone,Town,Notes\n" + b"".join(line.format(n).encode() for n in range(100_000))

    tracemalloc.start()
    try:
        count, last = 0, None
        for row in open_table(data).rows():
            count, last = count + 1, row
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (count, last.number) == (100_000, 100_001)
    assert last.cells[0] == "Zoë Ångström 99999"
    # Decoding it all at once, or listing the rows, would take several times the file's ~10 MB.
    assert peak < len(data)


# --- xlsx ---


def test_an_xlsx_sheet_gives_text_numbers_real_dates_and_formula_text():
    table = open_table(fixture("customers.xlsx"))

    assert (table.kind, table.sheet, table.sheets) == ("xlsx", "Customers", ["Customers", "Summary"])
    assert (table.encoding, table.delimiter) == ("", "")
    assert table.header == ["Name", "Phone", "Customer since", "Last visit", "Balance", "Visits", "Notes"]
    assert cells(table) == [
        [
            "Zoë Ångström",
            "7700900123",
            datetime.date(2024, 3, 15),
            datetime.datetime(2024, 5, 2, 14, 30),
            "12.5",
            "=SUM(E2:E4)",
            "",
        ],
        ["José Núñez", "34600123456", datetime.date(2023, 11, 1), "", "0", "", "Call after 5"],
        ["Chloé Dubois", "+33 6 12 34 56 78", "", "", "-3.75", "", ""],
    ]
    assert type(cells(table)[0][2]) is datetime.date


def test_a_sheet_can_be_chosen_by_name():
    table = open_table(fixture("customers.xlsx"), sheet="Summary")

    assert table.sheet == "Summary"
    assert table.header == ["Total customers", "3"]
    assert cells(table) == [["Exported", "by hand"]]


def test_the_first_sheet_with_data_is_read_by_default():
    table = open_table(fixture("two-sheets-first-empty.xlsx"))

    assert (table.sheet, table.sheets) == ("Clients", ["Sheet1", "Clients"])
    assert [(row.number, row.cells) for row in table.rows()] == [
        (2, ["Renée Côté", "renee@example.fr"]),
        (3, ["Iñigo Peña", "inigo@example.es"]),
        (4, ["Zoë Ångström", "zoe@example.com"]),
    ]


def test_an_xlsx_renamed_to_csv_is_still_read_as_xlsx(tmp_path):
    renamed = tmp_path / "customers.csv"
    renamed.write_bytes(fixture("customers.xlsx"))

    table = open_table(renamed.read_bytes())

    assert table.kind == "xlsx"
    assert cells(table)[0][0] == "Zoë Ångström"


def test_a_missing_sheet_is_named_along_with_the_sheets_there():
    with pytest.raises(ImportFileError) as error:
        open_table(fixture("customers.xlsx"), sheet="Clients")

    assert "no sheet called “Clients”" in str(error.value)
    assert "Customers, Summary" in str(error.value)


def test_an_empty_sheet_chosen_by_name_is_reported():
    with pytest.raises(ImportFileError, match="“Sheet1” is empty"):
        open_table(fixture("two-sheets-first-empty.xlsx"), sheet="Sheet1")


def test_a_workbook_without_data_anywhere_is_reported():
    with pytest.raises(ImportFileError, match="no data in any of its sheets"):
        open_table(workbook_bytes(("One", []), ("Two", [[None, "  "]])))


def test_a_sheet_with_only_a_header_is_reported():
    with pytest.raises(ImportFileError, match="only a header row"):
        open_table(workbook_bytes(("Customers", [["Name", "Email"], [None, None]])))


# --- vCard ---


def test_a_google_contacts_export_fills_the_vcard_columns():
    table = open_table(fixture("google.vcf"))

    assert (table.kind, table.header) == ("vcf", VCARD_HEADER)
    assert [(row.number, row.cells) for row in table.rows()] == [
        (
            1,
            [
                "Zoë Ångström",
                "Zoë",
                "Ångström",
                "Ångström Ceramics",
                "+44 7700 900123",
                "+44 20 7946 0018",
                "zoe@example.com",
                "12 Rose Lane, Flat 2",
                "Bristol",
                "BS1 4DJ",
                "Prefers mornings. Has a dog called Biscuit who is friendly but loud, so knock gently on the side "
                "door rather than ringing the bell.",
                "Workshop: +44 7700 900456\nWork: zoe.angstrom@studio.example",
            ],
        ),
        (
            2,
            [
                "José Núñez",
                "José",
                "Núñez",
                "",
                "+34 600 123 456",
                "+34 956 123 456",
                "jose@example.es",
                "",
                "",
                "",
                "",
                "Taller: pepe@taller.example",
            ],
        ),
        (
            3,
            ["Bakery Bros", "", "", "Bakery Bros", "+44 117 496 0000", "", "", "4 Mill Street", "Bath", "BA1 1AA"]
            + ["", ""],
        ),
    ]


def test_an_iphone_export_unwraps_apple_labels_and_ignores_photos():
    rows = list(open_table(fixture("iphone.vcf")).rows())

    assert rows[0].cells == [
        "José Núñez",
        "José",
        "Núñez",
        "Núñez & Hijos",
        "+34 600 123 456",
        "+34 956 123 456",
        "jose@example.es",
        "Calle Ancha 5",
        "Cádiz",
        "11001",
        "Ask for José senior",
        "Mobile: +34 600 999 888",
    ]
    # No town, so the region stands in for it.
    assert rows[1].cells[7:10] == ["3 Rue Haute", "Île-de-France", "75001"]
    assert all(not row.problem for row in rows)


def test_a_vcard_4_follows_pref_and_drops_the_tel_prefix():
    rows = cells(open_table(fixture("v4.vcf")))

    assert rows[0][4:7] == ["+1-555-555-0100", "+44-20-7946-0018", "zoe@example.com"]
    assert rows[0][11] == "Work: zoe@studio.example"
    assert rows[1][4:6] == ["+1-555-555-0122", "+1-555-555-0111"]


def test_a_contact_without_fn_is_named_from_n():
    rows = cells(open_table(vcard(["N:Lee;Ann;Marie;Dr;", "TEL:+44 7700 900999"])))

    assert rows[0][:3] == ["Dr Ann Marie Lee", "Ann", "Lee"]
    assert rows[0][4] == "+44 7700 900999"


def test_a_contact_vobject_cannot_read_becomes_a_row_with_a_problem():
    data = vcard(["FN:Ann Lee"], ["FN:Bob Stone", "THIS LINE HAS NO COLON"], ["FN:Chloé Dubois"])

    rows = list(open_table(data).rows())

    assert [(row.number, row.cells[0], row.problem) for row in rows] == [
        (1, "Ann Lee", ""),
        (2, "", "Contact 2 (Bob Stone) could not be read."),
        (3, "Chloé Dubois", ""),
    ]
    assert rows[1].cells == [""] * len(VCARD_HEADER)


# --- recognising the kind, and refusing what we cannot read ---


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("utf8.csv", "csv"),
        ("windows-1252.csv", "csv"),
        ("customers.xlsx", "xlsx"),
        ("corrupt.xlsx", "xlsx"),
        ("google.vcf", "vcf"),
        ("v4.vcf", "vcf"),
    ],
)
def test_the_kind_comes_from_the_content(name, kind):
    assert detect_kind(fixture(name)) == kind


def test_a_vcard_with_a_bom_and_lower_case_marker_is_a_vcard():
    assert detect_kind(b"\xef\xbb\xbf\r\n  begin:vcard\r\nVERSION:3.0\r\nEND:VCARD\r\n") == "vcf"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (fixture("empty.csv"), "empty"),
        (b" \r\n\t\n", "empty"),
        (b"\xef\xbb\xbf\n", "empty"),
        (fixture("header-only.csv"), "only a header row"),
        (b"Name,Email\n,\n \n", "only a header row"),
        (b",,\n,,\n", "no data"),
        (fixture("binary.csv"), "doesn't look like a CSV, Excel (.xlsx) or contacts (.vcf) file"),
        (fixture("undecodable.csv"), "can't be read (the first is on line 3)"),
        (fixture("legacy.xls-renamed.csv"), "old Excel .xls file: save it as .xlsx or CSV"),
        (fixture("corrupt.xlsx"), "damaged"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture"),
        ("Name,Email\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet", ".ods"),
        (vcard(["VERSION:3.0"]), "no contacts"),
    ],
)
def test_a_file_we_cannot_read_says_why(data, words):
    with pytest.raises(ImportFileError) as error:
        open_table(data)

    assert words in str(error.value)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = b"Name\n" + b"Ann\n" * 300_000

    with pytest.raises(ImportFileError, match="more than the 1 MB"):
        detect_kind(data)


def test_a_file_exactly_at_the_size_limit_is_read(settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = b"Name\n" + b"Ann\n" * 1000
    data += b"\n" * (1024 * 1024 - len(data))

    assert len(open_table(data).header) == 1
    with pytest.raises(ImportFileError, match="more than"):
        open_table(data + b"\n")


def test_the_size_limit_is_50_mb_when_not_set(settings):
    del settings.IMPORT_MAX_UPLOAD_MB

    with pytest.raises(ImportFileError, match="more than the 50 MB"):
        detect_kind(b"a" * (50 * 1024 * 1024 + 1))


@pytest.mark.parametrize("name", ["utf8.csv", "quoted.csv", "customers.xlsx"])
def test_opening_a_spreadsheet_counts_the_rows_it_will_read(name):
    table = open_table((FIXTURES / name).read_bytes())

    assert table.row_count == sum(1 for _row in table.rows())


def test_a_contacts_file_is_not_counted_on_opening():
    assert open_table((FIXTURES / "google.vcf").read_bytes()).row_count is None
