"""Email as a task: the one way the project sends mail.

An action calls `email_queue(...)` inside its transaction: the subject and the body are rendered there, in the
recipient's language, and stored as an `Email` row; after commit a Celery task (`empowerment.tasks.send_email`)
sends it. The row is marked sent only once the mail server accepted the message. An SMTP or network error is
retried with backoff (EMAIL_RETRY_BACKOFF seconds doubled each time); after the last attempt the email is
marked failed with the reason, which staff see in the admin. Nothing here can fail the request that caused
the email: with the broker down the email stays queued and the beat job (`emails_redispatch_stale`) sends it
later. A `key` (unique) makes "send this once" hold for scheduled jobs that run any number of times.
"""

import logging
import smtplib
import socket
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Email

logger = logging.getLogger(__name__)

# Errors worth another attempt: the server refused for now, the connection failed or timed out.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, socket.timeout)
# Attempts in all: the first and EMAIL_MAX_RETRIES retries (5, 10, 20, 40, 80 s by default, at most 15 min).
EMAIL_MAX_RETRIES = 5
# An email "sending" longer than this belongs to a worker that died; beat hands it to another.
STALE_SENDING = timedelta(minutes=10)


def retry_countdown(retries: int) -> float:
    return min(900.0, getattr(settings, "EMAIL_RETRY_BACKOFF", 5.0) * 2**retries)


def _dispatch(email_id: int) -> None:
    from .tasks import send_email  # noqa: PLC0415 - tasks import this module

    try:
        send_email.delay(email_id)
    except Exception:  # the broker is down: the email stays queued and the beat job dispatches it
        logger.warning(
            "Email %s not dispatched (broker unavailable); it stays queued", email_id, exc_info=True
        )


def supported_language(code: str | None) -> str:
    """`code` as one of settings.LANGUAGES ("zh-Hans" and "zh-hans" alike), or "" when the site has no such
    language."""
    code = (code or "").lower()
    return code if code in {c.lower() for c, _name in settings.LANGUAGES} else ""


def recipient_language(user_or_email, default: str | None = None) -> str:
    """The language to write to a recipient in: the one a user chose (or signed up in), found by the user or
    by their address; else `default`, which is the request's language when the caller has a request and
    settings.LANGUAGE_CODE in a scheduled task (None: the active language, else settings.LANGUAGE_CODE)."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    if isinstance(user_or_email, str):
        chosen = (
            get_user_model()
            .objects.filter(email__iexact=user_or_email.strip())
            .values_list("language", flat=True)
            .first()
            if user_or_email.strip()
            else None
        )
    else:
        chosen = getattr(user_or_email, "language", "")
    return (
        supported_language(chosen)
        or supported_language(default)
        or supported_language(translation.get_language())
        or settings.LANGUAGE_CODE
    )


def remember_language(user, code: str | None, *, only_if_blank: bool = False) -> bool:
    """Store `code` as the language of `user`'s emails when it is a language of the site and differs from the
    stored one (with `only_if_blank`, only when none is stored yet). Returns whether it was stored."""
    code = supported_language(code)
    if not code or not getattr(user, "is_authenticated", False) or user.language == code:
        return False
    if only_if_blank and user.language:
        return False
    user.language = code
    user.save(update_fields=["language"])
    return True


def email_queue(
    *,
    to: str,
    subject: str | Callable[[], str],
    template: str,
    context: dict,
    language: str,
    headers: dict | None = None,
    key: str | None = None,
) -> Email | None:
    """Write one email to `to`, wholly in `language`, and send it after commit.

    `subject` is a string (lazy or not) or a function returning one; either way it is turned into text
    with `language` active, as the body is rendered from `template`, so a subject built from translated
    pieces (a status label, a date) comes out in the recipient's language too. With `key`, an email
    already queued under that key is not queued again: returns None."""
    if not to:
        return None
    key = key[:255] if key else None
    if key and Email.objects.filter(key=key).exists():
        return None
    with translation.override(language):
        text = subject() if callable(subject) else subject
        body = render_to_string(template, context)
    return email_queue_rendered(to=to, subject=text, body=body, language=language, headers=headers, key=key)


def email_queue_rendered(
    *, to: str, subject: str, body: str, language: str, headers: dict | None = None, key: str | None = None
) -> Email | None:
    """Queue an email already written (django-allauth's, rendered by its adapter): sent after commit, retried,
    recorded as `email_queue` does."""
    if not to:
        return None
    key = key[:255] if key else None
    text = " ".join(str(subject).split())[:255]  # one line: a header never carries a line break
    email = Email(to=to, language=language, subject=text, body=body, headers=headers or {}, key=key)
    if key:
        try:
            with transaction.atomic():  # a concurrent run queued the same key first
                email.save()
        except IntegrityError:
            return None
    else:
        email.save()
    transaction.on_commit(lambda: _dispatch(email.pk))
    return email


def email_send(*, email_id: int, final: bool = False) -> str | None:
    """Send one queued email (the task's body). Safe to run twice: an email already sent, or being sent by
    another worker, is left alone. Raises one of TRANSIENT_ERRORS for the task to retry, after recording
    the attempt; with `final`, the email is marked failed instead. Returns the email's status."""
    now = timezone.now()
    claimable = Q(status=Email.Status.QUEUED) | Q(
        status=Email.Status.SENDING, claimed_at__lt=now - STALE_SENDING
    )
    claimed = Email.objects.filter(claimable, pk=email_id).update(status=Email.Status.SENDING, claimed_at=now)
    if not claimed:
        return Email.objects.filter(pk=email_id).values_list("status", flat=True).first()
    email = Email.objects.get(pk=email_id)
    message = EmailMessage(email.subject, email.body, None, [email.to], headers=email.headers)
    try:
        message.send(fail_silently=False)
    except TRANSIENT_ERRORS as exc:
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        status = Email.Status.FAILED if final else Email.Status.QUEUED
        Email.objects.filter(pk=email_id).update(
            status=status, attempts=email.attempts + 1, last_error=reason, claimed_at=None
        )
        if final:
            logger.error(
                "Email %s to %s failed after %s attempts: %s", email_id, email.to, email.attempts + 1, reason
            )
            return status
        raise
    Email.objects.filter(pk=email_id).update(
        status=Email.Status.SENT, attempts=email.attempts + 1, sent_at=timezone.now(), claimed_at=None
    )
    return Email.Status.SENT


def emails_redispatch_stale(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Dispatch again the emails left queued (the broker was down, or a retry was lost) and those stuck
    "sending" (the worker died). Returns how many were dispatched."""
    now = timezone.now()
    ids = list(
        Email.objects.filter(
            Q(status=Email.Status.QUEUED, created_at__lt=now - older_than)
            | Q(status=Email.Status.SENDING, claimed_at__lt=now - STALE_SENDING)
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        _dispatch(pk)
    return len(ids)


# A sent email's body may carry a personal link (an invitation, a password reset): it is kept this long, for
# support questions, then emptied; the row (to, subject, when) stays as the record that it was sent.
KEEP_SENT_BODIES = timedelta(days=7)


def emails_forget_sent_bodies(*, older_than: timedelta = KEEP_SENT_BODIES) -> int:
    """Empty the bodies of emails sent longer ago than `older_than`. Returns how many were emptied."""
    return (
        Email.objects.filter(status=Email.Status.SENT, sent_at__lt=timezone.now() - older_than)
        .exclude(body="")
        .update(body="")
    )


def email_retry(*, email: Email) -> Email:
    """Queue a failed email again (staff, from the admin): it is sent by a worker as a new one would be."""
    updated = Email.objects.filter(pk=email.pk, status=Email.Status.FAILED).update(
        status=Email.Status.QUEUED, last_error="", claimed_at=None
    )
    if updated:
        transaction.on_commit(lambda: _dispatch(email.pk))
    email.refresh_from_db()
    return email
