"""Workbooks and CSV files: the one writer, the one reader of uploads, the one cell rule.

- `Workbook` / `write_rows` (writer.py): every .xlsx the product writes;
- `read_sheet` / `find_table` / `count_rows` / `UnreadableWorkbook` (reader.py): every uploaded workbook
  read (`find_table`: the table under a header row, whichever sheet and row it is on; `Uncomputed`:
  a formula cell saved without its result, refused by every importer with `uncomputed_message`);
- `csv_bytes` / `write_csv` (csvfile.py): CSV output;
- `read_csv` / `decode_csv` / `UnreadableCSV` (csvreader.py): every uploaded CSV read (UTF-8 or GBK);
- cells.py: text that could run as a formula, control characters, the 32,767-character cap;
  typed cells (`money`, `rate`, `Cell`, `Style`).

Apps do not import openpyxl or write a workbook themselves (a test checks it).
"""

from .cells import (
    BOLD,
    DATE_CN_FORMAT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    FORMULA_PREFIXES,
    HEADER,
    MAX_CELL_CHARS,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    TITLE,
    Cell,
    Style,
    clean_text,
    formula_like,
    money,
    number,
    rate,
)
from .csvfile import csv_bytes, csv_value, write_csv
from .csvreader import UnreadableCSV, decode_csv, detect_encoding, find_csv_table, looks_like_csv, read_csv
from .reader import (
    Table,
    Uncomputed,
    UnreadableWorkbook,
    count_rows,
    find_table,
    read_sheet,
    uncomputed_message,
    uncomputed_reason,
)
from .writer import XLSX_CONTENT_TYPE, Sheet, Workbook, column_letter, download, sheet_title, write_rows

# The name the first exports used.
XlsxWriter = Workbook

__all__ = [
    "BOLD",
    "DATETIME_FORMAT",
    "DATE_CN_FORMAT",
    "DATE_FORMAT",
    "FORMULA_PREFIXES",
    "HEADER",
    "MAX_CELL_CHARS",
    "MONEY_FORMAT",
    "PERCENT_FORMAT",
    "TITLE",
    "XLSX_CONTENT_TYPE",
    "Cell",
    "Sheet",
    "Style",
    "Table",
    "Uncomputed",
    "UnreadableCSV",
    "UnreadableWorkbook",
    "Workbook",
    "XlsxWriter",
    "clean_text",
    "column_letter",
    "count_rows",
    "csv_bytes",
    "csv_value",
    "decode_csv",
    "detect_encoding",
    "download",
    "find_csv_table",
    "find_table",
    "formula_like",
    "looks_like_csv",
    "money",
    "number",
    "rate",
    "read_csv",
    "read_sheet",
    "sheet_title",
    "uncomputed_message",
    "uncomputed_reason",
    "write_csv",
    "write_rows",
]
