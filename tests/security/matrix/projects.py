"""Projects URLs: public pages, the portal (needs assessments, proposals, progress updates), staff pages."""

from datetime import date
from decimal import Decimal

from . import Entry, expect


def setup(fx):
    from django.core.files.base import ContentFile

    from projects.models import AssessmentAttachment, SurveyImport, UpdateDocument, UpdatePhoto
    from tests.factories.projects import (
        AssessmentFactory,
        IndicatorFactory,
        NeedFactory,
        ProjectFactory,
        UpdateFactory,
        jpeg_bytes,
    )

    fx.assessment = AssessmentFactory(organization=fx.org_a)
    fx.need = NeedFactory(assessment=fx.assessment)
    fx.attachment = AssessmentAttachment.objects.create(
        assessment=fx.assessment, name="Report", file=ContentFile(b"%PDF-1.4 report", name="report.pdf")
    )
    fx.survey = SurveyImport.objects.create(
        assessment=fx.assessment,
        filename="kobo.csv",
        encoding="utf-8",
        columns=["q"],
        rows=[["a"]],
        respondents=1,
    )
    fx.draft = ProjectFactory(organization=fx.org_a, problem_statement="")  # incomplete: cannot be submitted
    fx.active = ProjectFactory(organization=fx.org_a, status="active", slug="active-project")
    IndicatorFactory(project=fx.active, target=Decimal("100"))
    fx.approved_update = UpdateFactory(project=fx.active, status="approved")
    fx.draft_update = UpdateFactory(
        project=fx.active, period_start=date(2025, 2, 1), period_end=date(2025, 2, 28), status="draft"
    )
    fx.photo = UpdatePhoto.objects.create(
        update=fx.approved_update, image=ContentFile(jpeg_bytes(), name="p.jpg"), caption="Health check day"
    )
    fx.document = UpdateDocument.objects.create(
        update=fx.approved_update, name="Sign-in sheet", file=ContentFile(b"%PDF-1.4 x", name="sheet.pdf")
    )


VIEW = expect(404, anonymous=302, members_a=200, staff=200)
EDIT = expect(404, anonymous=302, a_admin=200, a_editor=200, a_viewer=403, staff=403)
EDIT_POST = expect(404, anonymous=302, a_admin=302, a_editor=302, a_viewer=403, staff=403)
VIEW_POST = expect(404, anonymous=302, members_a=302, staff=302)
STAFF = expect(404, anonymous=302, staff=200)
PUBLIC = expect(200)


def _org(fx):
    return {"org_slug": fx.org_a.slug}


def _a(fx):
    return {"org_slug": fx.org_a.slug, "pk": fx.assessment.pk}


def _active(fx):
    return {"org_slug": fx.org_a.slug, "pk": fx.active.pk}


def _draft(fx):
    return {"org_slug": fx.org_a.slug, "pk": fx.draft.pk}


ENTRIES = {
    "projects:photo": Entry(PUBLIC, kwargs=lambda fx: {"pk": fx.photo.pk}),
    "projects:assessment_list": Entry(VIEW, kwargs=_org),
    "projects:assessment_new": Entry(EDIT, kwargs=_org),
    "projects:assessment_detail": Entry(VIEW, kwargs=_a),
    "projects:assessment_edit": Entry(EDIT, kwargs=_a),
    "projects:need_new": Entry(EDIT, kwargs=_a),
    "projects:need_edit": Entry(EDIT, kwargs=lambda fx: {**_a(fx), "need_pk": fx.need.pk}),
    "projects:need_choose": Entry(EDIT, kwargs=lambda fx: {**_a(fx), "need_pk": fx.need.pk}),
    "projects:attachment_add": Entry(EDIT_POST, method="post", kwargs=_a),
    "projects:attachment_download": Entry(VIEW, kwargs=lambda fx: {**_a(fx), "att_pk": fx.attachment.pk}),
    "projects:survey_upload": Entry(EDIT_POST, method="post", kwargs=_a),
    "projects:survey_detail": Entry(VIEW, kwargs=lambda fx: {**_a(fx), "survey_pk": fx.survey.pk}),
    "projects:portal_list": Entry(VIEW, kwargs=_org),
    "projects:project_new": Entry(EDIT, kwargs=_org),
    "projects:portal_detail": Entry(VIEW, kwargs=_active),
    "projects:wizard": Entry(EDIT, kwargs=lambda fx: {**_draft(fx), "step": "basics"}),
    # The wizard's htmx parts: one empty row, and the running budget total of the rows as posted.
    "projects:wizard_row": Entry(
        EDIT,
        kwargs=lambda fx: {**_draft(fx), "kind": "activities"},
        data=lambda fx: {"activities-TOTAL_FORMS": "1"},
    ),
    "projects:wizard_budget_total": Entry(
        EDIT,
        method="post",
        kwargs=_draft,
        data=lambda fx: {
            "budget-TOTAL_FORMS": "1",
            "budget-INITIAL_FORMS": "0",
            "budget-0-category": "venue",
            "budget-0-amount": "100",
        },
    ),
    # An incomplete draft: editors are refused with a message (302); a viewer's or staff's post is forged (403).
    "projects:portal_move": Entry(
        expect(404, anonymous=302, a_admin=302, a_editor=302, a_viewer=403, staff=403),
        method="post",
        kwargs=_draft,
        data=lambda fx: {"action": "submit"},
    ),
    "projects:report_request": Entry(VIEW_POST, method="post", kwargs=_active),
    "projects:update_new": Entry(EDIT, kwargs=_active),
    "projects:update_detail": Entry(VIEW, kwargs=lambda fx: {**_active(fx), "upk": fx.draft_update.pk}),
    "projects:update_edit": Entry(EDIT, kwargs=lambda fx: {**_active(fx), "upk": fx.draft_update.pk}),
    "projects:update_submit": Entry(
        EDIT_POST, method="post", kwargs=lambda fx: {**_active(fx), "upk": fx.draft_update.pk}
    ),
    "projects:update_correct": Entry(
        EDIT_POST, method="post", kwargs=lambda fx: {**_active(fx), "upk": fx.approved_update.pk}
    ),
    "projects:evidence_download": Entry(VIEW, kwargs=lambda fx: {**_active(fx), "doc_pk": fx.document.pk}),
    "projects:staff_review": Entry(STAFF),
    "projects:staff_overdue": Entry(STAFF),
    "projects:staff_detail": Entry(STAFF, kwargs=lambda fx: {"pk": fx.draft.pk}),
    # Approving a draft: officers are told it cannot move (302); other staff may not decide (403).
    "projects:staff_move": Entry(
        expect(
            404, anonymous=302, programme_officer=302, administrator=302, finance_officer=403, trainer=403
        ),
        method="post",
        kwargs=lambda fx: {"pk": fx.draft.pk},
        data=lambda fx: {"action": "approve"},
    ),
    "projects:staff_report": Entry(
        expect(404, anonymous=302, staff=302), method="post", kwargs=lambda fx: {"pk": fx.active.pk}
    ),
    "projects:staff_update": Entry(STAFF, kwargs=lambda fx: {"upk": fx.draft_update.pk}),
    # Rating an approved report: officers and administrators rate it (302 back to its page); other staff
    # may not (403).
    "projects:staff_update_rate": Entry(
        expect(
            404, anonymous=302, programme_officer=302, administrator=302, finance_officer=403, trainer=403
        ),
        method="post",
        kwargs=lambda fx: {"upk": fx.approved_update.pk},
        data=lambda fx: {"score": "4", "feedback": "Clear results, well evidenced."},
    ),
    "projects:staff_results": Entry(STAFF),
}
