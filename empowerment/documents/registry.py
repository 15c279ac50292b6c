"""Document kinds, registered by the app that owns their subject (in its AppConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from empowerment.authz import is_staff_member


@dataclass(frozen=True)
class DocumentKind:
    """How to render one kind of document and who may request and read it.

    build_context(subject, params) returns the template context; it runs inside the document's language.
    title(subject, params) names the document. can_request/can_view(user, subject) answer permission.
    public: anyone may download a ready document of this kind (published reports, certificates).
    verification_code(subject, params), when given, is the code printed on the document instead of the
    document's own: a subject that already carries a code people check (a certificate) keeps one code.
    """

    name: str
    template: str
    build_context: Callable[[Any, dict], dict]
    title: Callable[[Any, dict], str]
    can_request: Callable[[Any, Any], bool] = field(default=lambda user, subject: is_staff_member(user))
    can_view: Callable[[Any, Any], bool] = field(default=lambda user, subject: is_staff_member(user))
    public: bool = False
    filename: Callable[[Any, dict], str] = field(default=lambda subject, params: "document")
    verification_code: Callable[[Any, dict], str] | None = None


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> DocumentKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No document kind named {name!r} is registered.") from None


def names() -> list[str]:
    return sorted(_KINDS)
