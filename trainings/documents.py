"""The training certificate PDF, rendered by the shared pipeline. Public: anyone with the link may
download a ready certificate, and its code opens /verify/<code>/."""

from django.utils.translation import gettext as _

from empowerment.authz import is_staff_member
from empowerment.documents.registry import DocumentKind, register
from organizations.rules import is_org_member


def _context(certificate, params):
    enrolment = certificate.enrolment
    return {
        "certificate": certificate,
        "participant": enrolment.participant,
        "organization": enrolment.participant.organization,
        "cohort": enrolment.cohort,
        "modules": sorted(
            {s.module for s in enrolment.cohort.sessions.select_related("module")},
            key=lambda m: (m.position, m.pk),
        ),
    }


def _can_request(user, certificate) -> bool:
    return user.has_perm("trainings.issue_certificate")


def _can_view(user, certificate) -> bool:
    return is_staff_member(user) or is_org_member(user, certificate.enrolment.participant.organization)


def _title(certificate, params):
    return _("Certificate of completion: %(name)s, %(cohort)s") % {
        "name": certificate.enrolment.participant.name,
        "cohort": certificate.enrolment.cohort.name,
    }


CERTIFICATE = register(
    DocumentKind(
        name="certificate",
        template="trainings/pdf/certificate.html",
        build_context=_context,
        title=_title,
        can_request=_can_request,
        can_view=_can_view,
        public=True,
        filename=lambda certificate, params: f"certificate-{certificate.verification_code}",
        # The certificate's code is the one printed (and checked at /verify/<code>/), not the PDF's own.
        verification_code=lambda certificate, params: certificate.verification_code,
    )
)
