"""Public verification of codes printed on documents: `/verify/<code>/`.

Apps register verifiers (in AppConfig.ready): a function taking the code and returning None when the
code is not theirs, or a dict with "template" and "context" to render. Generated documents
(empowerment.models.Document) are the fallback: their code, title, date and SHA-256."""

from collections.abc import Callable

_VERIFIERS: list[Callable[[str], dict | None]] = []


def register(verifier: Callable[[str], dict | None]) -> Callable[[str], dict | None]:
    _VERIFIERS.append(verifier)
    return verifier


def verifiers() -> list[Callable[[str], dict | None]]:
    return list(_VERIFIERS)
