"""Signed, expiring links to a donor's year-end statement. The token names the donor (a funder, or the
receipt whose payer the person is), the year and the language, signed with the site's secret: a link
cannot be changed to reach another donor, and it stops working LINK_DAYS after it was made."""

from django.core import signing

from ..selectors import donors as donor_selectors

DOCUMENT_KIND = "donor_statement"
LINK_DAYS = 30
_SALT = "fundraising.receipts.statement-link"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def statement_token(donor, year: int, language: str) -> str:
    return signing.dumps({"k": donor.kind, "i": donor.pk, "y": int(year), "l": language}, salt=_SALT)


def statement_read(token: str, *, max_age_days: int = LINK_DAYS):
    """(donor, year, language) of a token; LinkExpired when older than `max_age_days`, LinkInvalid when it
    was altered or names no donor any more."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age_days * 86400)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    try:
        donor = donor_selectors.donor_get(str(data["k"]), int(data["i"]))
        year, language = int(data["y"]), str(data["l"])
    except (KeyError, TypeError, ValueError):
        raise LinkInvalid from None
    if donor is None:
        raise LinkInvalid
    return donor, year, language
