"""The /verify/<code>/ page for training certificates (registered in TrainingsConfig.ready)."""

from . import selectors


def verify_certificate(code: str) -> dict | None:
    certificate = selectors.certificate_by_code(code) if len(code) <= 20 else None
    if certificate is None:
        return None
    enrolment = certificate.enrolment
    return {
        "template": "trainings/verify_certificate.html",
        "context": {
            "certificate": certificate,
            "participant": enrolment.participant,
            "organization": enrolment.participant.organization,
            "cohort": enrolment.cohort,
        },
    }
