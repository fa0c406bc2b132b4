"""Turn an uploaded file's bytes into a header and rows: CSV, Excel .xlsx or vCard .vcf.

The kind comes from the bytes, not the file name: people rename files, and Excel saves any of them as "export.csv".
Anything we cannot read raises ImportFileError with a sentence for the user, never a traceback.
Rows stream from the bytes, so a 50 MB file is never held as one big string or one big list.
"""

import codecs
import csv
import datetime
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import openpyxl
import vobject
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import is_datetime

KINDS = ("csv", "xlsx", "vcf")

VCARD_HEADER = [
    "Name",
    "First name",
    "Last name",
    "Company",
    "Mobile",
    "Other phone",
    "Email",
    "Street",
    "Town",
    "Postcode",
    "Notes",
    "More contact details",
]

DELIMITERS = ",;\t"
PROBE_BYTES = 8 * 1024  # where we look for NUL bytes and the vCard marker
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024  # decoding is checked a chunk at a time so memory stays flat
# Pictures and sounds in a vCard are large and never imported; dropping them early keeps a card small.
VCARD_MEDIA = {"PHOTO", "LOGO", "SOUND", "KEY"}
MOBILE_TYPES = {"cell", "mobile", "iphone"}


class ImportFileError(Exception):
    """A file we cannot read; str(error) is a sentence for the user."""


@dataclass
class Row:
    number: int  # as the user finds it in their file: the spreadsheet row, or the contact's position
    cells: list  # one per header column
    problem: str = ""  # why this row could not be read (a broken vCard), else ""


@dataclass
class Table:
    """A file's header, and a way to read its rows again from the top (see open_table)."""

    kind: str
    header: list[str]
    _read: Callable[[], Iterator[Row]] = field(repr=False, compare=False)
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    row_count: int | None = None  # the rows rows() yields, when opening the file counted them already

    def rows(self) -> Iterator[Row]:
        """Every non-blank data row, read afresh on each call."""
        return self._read()


def detect_kind(data: bytes) -> str:
    """The kind ("csv", "xlsx" or "vcf") judged by the content; raises ImportFileError for what we cannot read."""
    _check_size(data)
    if re.fullmatch(rb"(?:\xef\xbb\xbf)?\s*", data):
        raise ImportFileError(
            _("This file is empty. Please choose a file with a header row and at least one customer.")
        )
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = data[:PROBE_BYTES]
    _reject_known_binary(head)
    if b"\x00" in head:
        raise ImportFileError(
            _(
                "This doesn't look like a CSV, Excel (.xlsx) or contacts (.vcf) file. "
                "Please check that you chose the right file."
            )
        )
    if head.removeprefix(codecs.BOM_UTF8).lstrip()[:11].upper() == b"BEGIN:VCARD":
        return "vcf"
    return "csv"


def open_table(data: bytes, *, sheet: str | None = None) -> Table:
    """Check the whole file and return its Table; raises ImportFileError with the reason when it cannot be imported.

    CSV and xlsx files are read through once here (streaming), so that a bad byte or a broken row is reported
    now rather than halfway through an import, and so the header can name every column that has data.
    `sheet` picks an xlsx sheet by name; other kinds ignore it.
    """
    kind = detect_kind(data)
    if kind == "xlsx":
        return _open_xlsx(data, sheet)
    if kind == "vcf":
        return _open_vcf(data)
    return _open_csv(data)


# --- checks shared by every kind ---


def _check_size(data: bytes) -> None:
    limit_mb = getattr(settings, "IMPORT_MAX_UPLOAD_MB", 50)
    if len(data) > limit_mb * 1024 * 1024:
        raise ImportFileError(
            _(
                "This file is %(size)s, which is more than the %(limit)s MB we can import at once. "
                "Please split it into smaller files."
            )
            % {"size": filesizeformat(len(data)), "limit": limit_mb}
        )


def _reject_known_binary(head: bytes) -> None:
    """Name the common wrong files, so the message can say what to do instead."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        problem = _("This is an old Excel .xls file: save it as .xlsx or CSV and upload that instead.")
    elif head.startswith(b"%PDF"):
        problem = _("This is a PDF document. Please upload a CSV, Excel (.xlsx) or contacts (.vcf) file instead.")
    elif head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        problem = _("This is a picture. Please upload a CSV, Excel (.xlsx) or contacts (.vcf) file instead.")
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problem = _("This file is saved as “Unicode text” (UTF-16). Please save it as “CSV UTF-8” and upload that.")
    else:
        return
    raise ImportFileError(problem)


def _text_encoding(data: bytes) -> str:
    """utf-8-sig, utf-8 or cp1252 (what Excel on Windows writes as plain "CSV"), checked over the whole file."""
    candidates = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "cp1252")
    failures = []
    for encoding in candidates:
        failed_at = _first_undecodable_byte(data, encoding)
        if failed_at is None:
            return encoding
        failures.append(failed_at)
    # The encoding that got furthest is the one the file was most likely written in.
    line = data.count(b"\n", 0, max(failures)) + 1
    raise ImportFileError(
        _(
            "Some characters in this file can't be read (the first is on line %(line)s). "
            "Please save it from your spreadsheet as “CSV UTF-8” and upload it again."
        )
        % {"line": line}
    )


def _first_undecodable_byte(data: bytes, encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    for start in range(0, len(data), CHUNK_BYTES):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[start : start + CHUNK_BYTES], final=start + CHUNK_BYTES >= len(data))
        except UnicodeDecodeError as error:
            return start - pending + error.start
    return None


def _text_stream(data: bytes, encoding: str) -> io.TextIOWrapper:
    """Decodes as it is read; BytesIO shares the bytes rather than copying them."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


# --- CSV and xlsx: a header row, then data rows ---


def _tabular(records: Callable[[], Iterable[tuple[int, list]]], *, empty: str, **details) -> Table:
    """Find the header (the first non-blank row), insist on a data row below it, and learn the widest row."""
    header_number, header, width, count = None, [], 0, 0
    for number, cells in records():
        filled = _filled_width(cells)
        if not filled:
            continue
        if header_number is None:
            header_number, header = number, cells
        else:
            count += 1
        width = max(width, filled)
    if header_number is None:
        raise ImportFileError(empty)
    if not count:
        raise ImportFileError(
            _(
                "This file has only a header row and no customers below it. "
                "Add your customers under the header and upload it again."
            )
        )
    names = [str(cell) or _("Column %(number)s") % {"number": n} for n, cell in enumerate(_fit(header, width), 1)]

    def read() -> Iterator[Row]:
        for number, cells in records():
            if number > header_number and _filled_width(cells):
                yield Row(number, _fit(cells, width))

    return Table(header=names, _read=read, row_count=count, **details)


def _filled_width(cells: list) -> int:
    """How many cells up to and including the last non-empty one."""
    for width in range(len(cells), 0, -1):
        if cells[width - 1] != "":
            return width
    return 0


def _fit(cells: list, width: int) -> list:
    """Exactly `width` cells: short rows padded with "", trailing empty cells past the last column dropped."""
    return cells[:width] + [""] * (width - len(cells))


CELL_LIMIT = 131_072  # csv's default field limit: no spreadsheet cell of a customer's is near it


def _unreadable_row(number: int) -> ImportFileError:
    return ImportFileError(
        _("We couldn't read row %(number)s of this file. Often the cause is a quote mark (\") that is opened but "
          "never closed; please check that row.") % {"number": number})


def _open_csv(data: bytes) -> Table:
    encoding = _text_encoding(data)
    delimiter = _sniff_delimiter(data, encoding)

    def records() -> Iterator[tuple[int, list]]:
        number = 0
        with _text_stream(data, encoding) as text:
            reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True)
            try:
                # Blank lines count, so numbers match the row numbers a spreadsheet shows.
                for number, record in enumerate(reader, start=1):
                    # csv's own field limit is process-wide (the backup's restore raises it): a cell this long is
                    # a quote left open, whatever that limit is now.
                    if any(len(cell) > CELL_LIMIT for cell in record):
                        raise _unreadable_row(number)
                    yield number, [cell.replace("\r\n", "\n").strip() for cell in record]
            except csv.Error:
                raise _unreadable_row(number + 1) from None

    return _tabular(
        records, empty=_("This file has no data in it."), kind="csv", encoding=encoding, delimiter=delimiter
    )


def _sniff_delimiter(data: bytes, encoding: str) -> str:
    """Ask csv.Sniffer about the first 64 KB; if it cannot tell, take the delimiter the first line uses most."""
    sample = codecs.getincrementaldecoder(encoding)().decode(data[:SNIFF_BYTES])
    if len(data) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # a cut-off last line would mislead the sniffer
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter not in DELIMITERS or not delimiter:
        first_line = sample.partition("\n")[0]
        delimiter = max(DELIMITERS, key=first_line.count)  # on a tie (none at all) the comma wins
    return delimiter


def _open_xlsx(data: bytes, sheet: str | None) -> Table:
    workbook = _load_workbook(data)
    try:
        sheets = [worksheet.title for worksheet in workbook.worksheets]
        if sheet is None:
            sheet = next((ws.title for ws in workbook.worksheets if any(map(_filled_width, _cells(ws)))), None)
            if sheet is None:
                raise ImportFileError(_("This workbook has no data in any of its sheets."))
        elif sheet not in sheets:
            raise ImportFileError(
                _("This workbook has no sheet called “%(sheet)s”. Its sheets are: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(sheets)}
            )
    finally:
        workbook.close()

    def records() -> Iterator[tuple[int, list]]:
        workbook = _load_workbook(data)
        try:
            yield from enumerate(_cells(workbook[sheet]), start=1)
        finally:
            workbook.close()

    return _tabular(
        records, empty=_("The sheet “%(sheet)s” is empty.") % {"sheet": sheet}, kind="xlsx", sheet=sheet, sheets=sheets
    )


def _load_workbook(data: bytes):
    # read_only streams the sheets; data_only=False keeps a formula as its text, so nothing is ever evaluated.
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a damaged zip fails in many ways (BadZipFile, KeyError, XML errors); all mean the same
        raise ImportFileError(_damaged_workbook_message(data)) from None


def _damaged_workbook_message(data: bytes) -> str:
    if b"opendocument.spreadsheet" in data[:PROBE_BYTES]:
        return _("This is an OpenDocument (.ods) spreadsheet: save it as .xlsx or CSV and upload that instead.")
    return _(
        "This file looks like an Excel workbook, but it can't be opened: it may be damaged, or it isn't really "
        "an .xlsx file. Please open it in Excel, save it as .xlsx again and upload that."
    )


def _cells(worksheet) -> Iterator[list]:
    """One list per row, the first being row 1, missing rows as []; as long as each row's last stored cell."""
    worksheet.reset_dimensions()  # a sheet's own size record can be wrong and would cut off cells
    try:
        for row in worksheet.iter_rows():
            yield [_xlsx_value(cell) for cell in row]
    except Exception:  # broken XML inside a valid zip
        raise ImportFileError(_damaged_workbook_message(b"")) from None


def _xlsx_value(cell):
    """Text for everything except dates, which stay dates; a number becomes the text Excel shows for it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        # Excel keeps every date as a date and time; the cell's format says whether the user sees a time.
        return value.date() if is_datetime((cell.number_format or "").lower()) == "date" else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.15g}"  # Excel's 15 significant digits: 7700900123.0 -> "7700900123", 0.1+0.2 -> "0.3"
    return str(value)


# --- vCard: one row per contact, with a fixed header ---


def _open_vcf(data: bytes) -> Table:
    encoding = _text_encoding(data)

    def read() -> Iterator[Row]:
        with _text_stream(data, encoding) as text:
            for number, card in enumerate(_vcard_texts(text), start=1):
                row = _vcard_row(number, card)
                if row.problem or _filled_width(row.cells):
                    yield row

    table = Table(kind="vcf", header=list(VCARD_HEADER), _read=read)
    rows = table.rows()
    try:
        first = next(rows, None)
    finally:
        rows.close()
    if first is None:
        raise ImportFileError(_("This contacts file has no contacts in it."))
    return table


def _vcard_texts(lines: Iterable[str]) -> Iterator[str]:
    """Each card's own text, so that one broken card cannot stop the others being read."""
    card, depth, in_media = [], 0, False
    for line in lines:
        marker = line.strip().upper()
        if marker == "BEGIN:VCARD":
            depth += 1
        if depth:
            if not line[:1].isspace():  # a line starting with a space continues the one before
                name = line.split(":", 1)[0].split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
                in_media = name in VCARD_MEDIA
            if not in_media:
                card.append(line)
        if marker == "END:VCARD" and depth:
            depth -= 1
            if not depth:
                yield "".join(card)
                card = []
    if card:
        yield "".join(card)  # never ended: vobject will call it broken


def _vcard_row(number: int, text: str) -> Row:
    try:
        card = vobject.readOne(text)
        return Row(number, _vcard_cells(card))
    except Exception:  # vobject raises many kinds of error for a malformed card; each just means "unreadable"
        name = next(
            (line.split(":", 1)[-1].strip() for line in text.splitlines() if re.match(r"FN[;:]", line, re.I)), ""
        )
        if name:
            problem = _("Contact %(number)s (%(name)s) could not be read.") % {"number": number, "name": name}
        else:
            problem = _("Contact %(number)s could not be read.") % {"number": number}
        return Row(number, [""] * len(VCARD_HEADER), problem=problem)


@dataclass
class _Detail:
    """A phone number, email or address of a card, with what we need to rank it."""

    value: object
    label: str
    kinds: set[str]  # TYPE values and the Apple/Google label, lower-cased
    rank: float  # lower is more preferred; inf when not marked preferred


def _vcard_cells(card) -> list[str]:
    labels = {
        line.group.lower(): _clean_label(line.value)
        for line in card.getChildren()
        if line.name == "X-ABLABEL" and line.group
    }
    phones = _details(card, "TEL", labels, _("Phone"))
    emails = _details(card, "EMAIL", labels, _("Email"))
    addresses = _details(card, "ADR", labels, "")

    mobile = min(phones, key=lambda phone: (not phone.kinds & MOBILE_TYPES, phone.rank), default=None)
    other_phones = [phone for phone in phones if phone is not mobile]
    email = min(emails, key=lambda email: email.rank, default=None)
    more = other_phones[1:] + [each for each in emails if each is not email]
    address = min(addresses, key=lambda adr: (adr.rank, "home" not in adr.kinds), default=None)

    name = _first_value(card, "n")
    given, family = _text(getattr(name, "given", "")), _text(getattr(name, "family", ""))
    parts = ("prefix", "given", "additional", "family", "suffix")
    full_name = _text(_first_value(card, "fn")) or " ".join(
        filter(None, (_text(getattr(name, part, "")) for part in parts))
    )
    street, town, postcode = _address_cells(address.value) if address else ("", "", "")
    return [
        full_name,
        given,
        family,
        _text(_first_value(card, "org"), separator=", "),
        mobile.value if mobile else "",
        other_phones[0].value if other_phones else "",
        email.value if email else "",
        street,
        town,
        postcode,
        "\n".join(_text(line.value) for line in card.contents.get("note", []) if _text(line.value)),
        "\n".join(f"{detail.label}: {detail.value}" for detail in more),
    ]


def _details(card, name: str, labels: dict[str, str], default_label: str) -> list[_Detail]:
    found = []
    for line in card.contents.get(name.lower(), []):
        value = line.value if name == "ADR" else re.sub(r"^(tel|mailto):", "", _text(line.value), flags=re.I)
        if not value:
            continue
        types = {part.strip().strip('"').lower() for param in line.params.get("TYPE", []) for part in param.split(",")}
        group_label = labels.get((line.group or "").lower(), "")
        kinds = types | {group_label.lower()}
        label = group_label or _type_label(types) or default_label
        found.append(_Detail(value, label, kinds, _preference(line, types)))
    return found


def _preference(line, types: set[str]) -> float:
    """vCard 4.0 ranks with PREF=1..100 (1 first); 3.0 only marks TYPE=pref."""
    pref = line.params.get("PREF")
    if pref:
        return int(pref[0]) if pref[0].strip().isdigit() else 1
    return 1 if "pref" in types else math.inf


def _type_label(types: set[str]) -> str:
    labels = {
        "cell": _("Mobile"),
        "mobile": _("Mobile"),
        "iphone": _("iPhone"),
        "fax": _("Fax"),
        "pager": _("Pager"),
        "main": _("Main"),
        "home": _("Home"),
        "work": _("Work"),
        "other": _("Other"),
    }
    return next((label for kind, label in labels.items() if kind in types), "")


def _clean_label(label: str) -> str:
    """Apple wraps its built-in labels: "_$!<Mobile>!$_" -> "Mobile"."""
    label = _text(label)
    match = re.fullmatch(r"_\$!<(.*)>!\$_", label)
    return match.group(1) if match else label


def _address_cells(address) -> tuple[str, str, str]:
    """Street (every line, comma-separated), town (or the region when there is no town) and postcode."""
    lines = []
    for part in ("street", "extended", "box"):
        value = getattr(address, part, "")
        for piece in value if isinstance(value, list) else [value]:
            lines += [line.strip() for line in str(piece or "").splitlines() if line.strip()]
    town = _text(getattr(address, "city", "")) or _text(getattr(address, "region", ""))
    return ", ".join(lines), town, _text(getattr(address, "code", ""))


def _first_value(card, name: str):
    lines = card.contents.get(name)
    return lines[0].value if lines else None


def _text(value, separator: str = " ") -> str:
    """vobject gives a str, or a list of them where the field had several parts."""
    if isinstance(value, list | tuple):
        return separator.join(filter(None, (_text(part) for part in value)))
    return str(value).strip() if value else ""
