"""Forms sent once: the idempotency keys of forms that may be sent again from a phone's drafts (a progress
update, an attendance sheet, a mentoring visit).

A draft carries one key for its whole life. `submit_once` runs the form's write and records the key with
what it created in the same transaction; a second send with the same key gets the first answer back and
writes nothing. Two sends that race are settled by the database's unique constraint on the key: the second
insert waits for the first transaction and, once that commits, finds its row (on PostgreSQL the insert
blocks on the uncommitted key; on SQLite writes are serialised). A refused send (a ValidationError from
the write) rolls the key back with everything else, so the corrected draft may be sent again with it."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from empowerment.models import SubmissionKey, User


@dataclass(frozen=True)
class Outcome:
    """What a send answered: the object it created (None for a repeat whose object is gone), where to go
    next, and whether this send was a repeat of an earlier one."""

    created: models.Model | None
    redirect: str
    repeated: bool


def parse_key(raw: str | None) -> uuid.UUID | None:
    """A key as sent by a form (hidden field or Idempotency-Key header); None when absent. Anything else
    than a UUID is refused, since a key that silently does nothing would let a repeat create twice."""
    if raw is None or not str(raw).strip():
        return None
    try:
        return uuid.UUID(str(raw).strip())
    except ValueError:
        raise ValidationError(
            {"idempotency_key": _("This form's sending key is damaged: open the form again.")}
        ) from None


def _repeat(row: SubmissionKey, *, by: User, kind: str) -> Outcome:
    if row.user_id != by.pk or row.kind != kind:
        # A key is a random UUID made by one browser for one draft: another person or form never has it.
        raise ValidationError({"idempotency_key": _("This sending key belongs to another form.")})
    return Outcome(created=row.created, redirect=row.redirect, repeated=True)


@transaction.atomic
def submit_once(
    *, key: uuid.UUID | None, by: User, kind: str, write: Callable[[], tuple[models.Model | None, str]]
) -> Outcome:
    """Run `write` (which returns the object it created or changed and the address to go to next) once per
    key. Without a key `write` simply runs. Raises what `write` raises (nothing is then kept, not even
    the key), and ValidationError when the key was used by another person or for another kind of form."""
    if key is None:
        created, redirect = write()
        return Outcome(created=created, redirect=redirect, repeated=False)
    found = SubmissionKey.objects.filter(key=key).first()
    if found is not None:
        return _repeat(found, by=by, kind=kind)
    try:
        with transaction.atomic():
            row = SubmissionKey.objects.create(key=key, user=by, kind=kind)
    except IntegrityError:
        # Another send of the same draft committed first (this insert waited for it).
        return _repeat(SubmissionKey.objects.get(key=key), by=by, kind=kind)
    created, redirect = write()
    if created is not None:
        row.created = created
    row.redirect = redirect[:500]
    row.save(update_fields=["created_type", "created_id", "redirect"])
    return Outcome(created=created, redirect=redirect, repeated=False)
