"""Account rules on top of django-allauth: no open sign-up (people join through invitations); its emails
(address confirmation, password reset) go through the project's outbox like every other email."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Organization members join through an invitation link (organizations.views.invitation_accept);
        # foundation staff are created by an administrator.
        return False

    def login(self, request, user):
        """Sign in; a person who never chose a language gets the one they are using now, for their emails."""
        from empowerment.mail import remember_language  # noqa: PLC0415

        super().login(request, user)
        remember_language(user, getattr(request, "LANGUAGE_CODE", None), only_if_blank=True)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's email as allauth does, in the account's language (else the request's), and queue it: a worker sends it
        after commit and retries on SMTP errors, so a mail server in trouble never fails the request."""
        from allauth.core import context as allauth_context  # noqa: PLC0415
        from django.contrib.sites.shortcuts import get_current_site  # noqa: PLC0415

        from empowerment.mail import email_queue_rendered, recipient_language  # noqa: PLC0415

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        language = recipient_language(email, translation.get_language())  # the account's, else the request's
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        for to in message.to:
            email_queue_rendered(
                to=to,
                subject=message.subject,
                body=message.body,
                language=language,
                headers=dict(message.extra_headers),
            )
