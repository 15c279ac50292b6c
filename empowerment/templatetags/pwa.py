"""`{% pwa_strings %}`: the offline portal's messages in the page's language, as a JSON data block that
static/pwa/drafts.js reads (a data block is not a script, so the Content-Security-Policy allows it)."""

import functools

from django import template
from django.utils.html import json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def strings() -> dict[str, str]:
    return {
        "saved": _(
            "No connection: the form was saved on this device. It will be sent when the connection returns."
        ),
        "savedAgain": _("The draft was saved on this device."),
        "waiting": _("waiting"),
        "sending": _("sending"),
        "failed": _("refused"),
        "badge": _("Drafts: {waiting} waiting, {failed} refused"),
        "none": _("No drafts are waiting on this device."),
        "open": _("Open"),
        "delete": _("Delete"),
        "confirmDelete": _("Delete this draft from this device? It has not been sent."),
        "sendNow": _("Send now"),
        "sentOne": _("A draft was sent."),
        "refused": _("The server refused this draft: open it to see why and correct it."),
        "signIn": _("Sign in again to send the drafts."),
        "serverBusy": _("The server could not take the draft now; it will be tried again."),
        "offlineAsOf": _(
            "You are offline. What this form knows (projects, indicators, periods) is as of {time}."
        ),
        "kitAsOf": _("As of {time}"),
        "noKit": _("Nothing was kept yet: open the portal once while online."),
        "photosKept": _("{n} photo(s) kept with this draft."),
        "signOutWarning": _(
            "{n} draft(s) on this device have not been sent. They stay on this device, for you only, until you "
            "sign in here again. Sign out anyway?"
        ),
        "savedAt": _("saved {time}"),
        "projects": _("Progress updates"),
        "sessions": _("Attendance sheets"),
        "organizations": _("Mentoring visits"),
    }


@functools.lru_cache(maxsize=16)
def _block(language: str | None):
    """The data block in the active language (`language` only keeps the languages apart): the same on every
    page, drawn once per language and process."""
    return json_script(strings(), "pwa-strings")


@register.simple_tag
def pwa_strings():
    return _block(get_language())
