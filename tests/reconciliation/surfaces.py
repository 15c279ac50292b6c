"""Reading the public surfaces as a visitor would get them: pages through the Django test client (their
data-figure cells and tables), report PDFs rendered by the documents pipeline and read back with pypdf,
open-data files parsed as CSV, JSON and XML. Money text is turned back into Decimal exactly."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
from decimal import Decimal

import pypdf

MONEY_RE = r"[-−]?¥[-−]?[\d,]+\.\d{2}"


def to_decimal(text: str) -> Decimal:
    """ "¥12,345.60", "-¥5.00" or "¥-5.00" (or with a typographic minus) as Decimal."""
    cleaned = text.strip().replace("−", "-").replace("¥", "").replace(",", "")
    negative = cleaned.startswith("-")
    value = Decimal(cleaned.lstrip("-"))
    return -value if negative else value


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def figure(page: str, name: str) -> Decimal:
    found = re.findall(rf'data-figure="{re.escape(name)}"[^>]*>\s*([^<]+?)\s*<', page)
    assert len(found) == 1, f"data-figure={name}: {found}"
    return to_decimal(found[0])


def figures(page: str, name: str) -> list[Decimal]:
    return [to_decimal(v) for v in re.findall(rf'data-figure="{re.escape(name)}"[^>]*>\s*([^<]+?)\s*<', page)]


def _cell_text(cell: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def flow_table(page: str) -> list[tuple[str, str, Decimal]]:
    """The rows of the fund-flow picture's table: (from, to, amount)."""
    body = re.search(r'<tbody id="flow-links">(.*?)</tbody>', page, re.S)
    assert body, "no fund-flow table"
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) == 3:
            rows.append((_cell_text(cells[0]), _cell_text(cells[1]), to_decimal(_cell_text(cells[2]))))
    return rows


def table_rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'id="{re.escape(table_id)}"[^>]*>(.*?)</table>', page, re.S)
    assert table, f"no table #{table_id}"
    return [
        [_cell_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def pdf_text(document) -> str:
    with document.file.open("rb") as fh:
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(fh).pages)


def pdf_amount_after(text: str, label: str) -> Decimal:
    """The first amount after `label` in a PDF's text (a table row's heading and its cell)."""
    flat = " ".join(text.split())
    match = re.search(re.escape(label) + r"\s*(" + MONEY_RE + ")", flat)
    assert match, f"{label!r} not followed by an amount in the PDF"
    return to_decimal(match.group(1))


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def json_doc(text: str):
    return json.loads(text, parse_float=Decimal)
