"""A table of the Insights page as a CSV file: the same text the page shows, row for row."""

import csv
import io

# A spreadsheet runs a cell that starts with one of these as a formula; a customer's name must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def table_csv(table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(str(header)) for header in table.headers])
    for row in table.rows:
        writer.writerow([_safe(cell.text) for cell in row])
    return out.getvalue()
