"""Reading checkpoints kept from publication: the open-data JSON or CSV, a report PDF or its text."""

import csv
import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .. import checkpoints as checkpoint_format
from ..models import (
    LedgerCheckpoint,
)
from .common import Published, money

# Reading published checkpoints -----------------------------------------------------------------------------


class UnreadableCheckpoints(ValueError):
    pass


def load_published(file_or_code: str) -> list[Published]:
    """The checkpoints in a file kept from publication (the open-data `checkpoints` JSON or CSV, a report
    PDF or its text), or the stored checkpoint with that code."""
    path = Path(file_or_code)
    if not path.is_file():
        checkpoint = LedgerCheckpoint.objects.filter(code=file_or_code.strip()).first()
        if checkpoint is None:
            raise UnreadableCheckpoints(f"{file_or_code}: no such file and no checkpoint with this code")
        return [
            Published(
                code=checkpoint.code,
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                total=checkpoint.total,
                balances={k: money(v) for k, v in checkpoint.balances.items()},
                where="stored",
            )
        ]
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        found = _from_text(_pdf_text(data))
    else:
        text = data.decode("utf-8-sig", errors="replace")
        stripped = text.lstrip()
        if stripped.startswith(("{", "[")):
            found = _from_json(text)
        elif stripped.split("\n", 1)[0].replace('"', "").startswith("code,"):
            found = _from_csv(text)
        else:
            found = _from_text(text)
    if not found:
        raise UnreadableCheckpoints(f"{file_or_code}: no ledger checkpoint found in this file")
    return found


def _pdf_text(data: bytes) -> str:
    try:
        import pypdf  # noqa: PLC0415 - only needed to read a report PDF
    except ImportError:  # pragma: no cover - pypdf is installed with the project's dev tools
        raise UnreadableCheckpoints(
            "reading a PDF needs pypdf; or pass the report's text (e.g. from pdftotext)"
        ) from None
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _from_text(text: str) -> list[Published]:
    return [
        Published(code=p["code"], seq=p["seq"], hash=p["hash"], total=p["total"], where="printed")
        for p in checkpoint_format.parse_published(text)
    ]


def _row(row: dict, where: str) -> Published:
    try:
        total = row.get("total")
        balances = row.get("balances")
        return Published(
            code=str(row["code"]).strip(),
            seq=int(row["seq"]),
            hash=str(row["hash"]).strip().lower(),
            total=money(Decimal(str(total))) if total not in (None, "") else None,
            balances=checkpoint_format.parse_balances(balances) if balances is not None else None,
            where=where,
        )
    except (KeyError, ValueError, TypeError, InvalidOperation) as exc:
        raise UnreadableCheckpoints(f"not a checkpoint row ({exc}): {row}") from None


def _from_json(text: str) -> list[Published]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableCheckpoints(f"not valid JSON: {exc}") from None
    rows = data.get("rows", [data]) if isinstance(data, dict) else data
    return [_row(row, "published") for row in rows if isinstance(row, dict)]


def _from_csv(text: str) -> list[Published]:
    return [_row(row, "published") for row in csv.DictReader(io.StringIO(text))]
