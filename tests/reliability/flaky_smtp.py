"""A test email backend that behaves like a mail server in trouble: it raises smtplib errors for the first
`FlakySMTPBackend.failures` messages it is asked to send, then delivers to Django's locmem outbox."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakySMTPBackend(EmailBackend):
    failures = 0  # how many more sends fail; set by the test
    attempts = 0  # every call, failed or not

    def send_messages(self, messages):
        FlakySMTPBackend.attempts += 1
        if FlakySMTPBackend.failures > 0:
            FlakySMTPBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
