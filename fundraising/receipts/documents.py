"""The donor's year-end statement PDF, rendered by the shared pipeline. Its subject is the donor: a Funder,
or the official receipt whose payer the person is; `params` carry the year."""

from django.utils.translation import gettext as _

from empowerment.authz import is_finance_officer
from empowerment.documents.registry import DocumentKind, register

from .links import DOCUMENT_KIND


def _donor(subject):
    from ..selectors.donors import donor_of  # noqa: PLC0415

    return donor_of(subject)


def _context(subject, params):
    from ..selectors.donors import donor_statement  # noqa: PLC0415

    return {"s": donor_statement(_donor(subject), int(params["year"]))}


register(
    DocumentKind(
        name=DOCUMENT_KIND,
        template="fundraising/pdf/donor_statement.html",
        build_context=_context,
        title=lambda subject, params: (
            _("Statement of gifts %(year)s: %(donor)s")
            % {"year": params["year"], "donor": _donor(subject).name}
        ),
        can_request=lambda user, subject: is_finance_officer(user),
        can_view=lambda user, subject: is_finance_officer(user),
        filename=lambda subject, params: f"statement-{params['year']}",
    )
)
