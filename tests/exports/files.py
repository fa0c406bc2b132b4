"""Reading back the files the exports send, as a spreadsheet would."""

import codecs
import csv
import io

import openpyxl


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(codecs.BOM_UTF8), "Excel reads UTF-8 only with the BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(body(response))).active


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]
