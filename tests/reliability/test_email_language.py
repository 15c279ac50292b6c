"""Every email is written in its recipient's own language: the one a member chose on the site (stored on their
account), whoever caused the email and whenever it is sent; a member who never chose gets the language of the
request that caused it, or the site's default for a scheduled job."""

import io
from datetime import date

import pypdf
import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from empowerment.mail import recipient_language
from empowerment.models import Email, User
from organizations import diligence_services
from organizations import services as organizations_services
from organizations.models import DueDiligenceDocument

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _doc(org, **kwargs) -> DueDiligenceDocument:
    document = DueDiligenceDocument(organization=org, kind="registration", title="Certificate", **kwargs)
    document.file.save("doc.pdf", ContentFile(_pdf()), save=False)
    document.save()
    return document


def _client(user, accept_language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=accept_language)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _by_recipient() -> dict:
    return {m.to[0]: m for m in mail.outbox}


def test_a_member_who_chose_chinese_gets_chinese_for_an_english_officers_action(
    org_a, people, django_capture_on_commit_callbacks
):
    admin, editor = people["a_admin"], people["a_editor"]
    User.objects.filter(pk=admin.pk).update(language="zh-hans")
    document = _doc(org_a)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        diligence_services.due_diligence_return(
            document=document, by=people["programme_officer"], reason="The stamp is not legible."
        )
    sent = _by_recipient()
    chinese, english = sent["a-admin@example.org"], sent[editor.email]
    assert chinese.subject == "尽职调查文件被退回：Certificate"
    assert "原因：" in chinese.body and "请在门户中上传更正后的文件：" in chinese.body
    assert "Reason:" not in chinese.body
    assert Email.objects.get(to=admin.email).language == "zh-hans"
    # The editor never chose: the officer's (the request's) language.
    assert english.subject == "A due-diligence document was returned: Certificate"
    assert "Reason:" in english.body
    assert Email.objects.get(to=editor.email).language == "en"


def test_a_member_who_never_chose_gets_the_requests_language(
    org_a, people, django_capture_on_commit_callbacks
):
    document = _doc(org_a)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        diligence_services.due_diligence_return(document=document, by=people["programme_officer"], reason="x")
    assert {m.subject for m in mail.outbox} == {"尽职调查文件被退回：Certificate"}


def test_a_scheduled_reminder_is_in_each_members_language_else_the_site_default(
    org_a, people, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=people["a_editor"].pk).update(language="zh-hans")
    _doc(org_a, status="verified", reviewed_at=timezone.now(), expires_on=date(2026, 1, 20))
    # A beat job has no request; whatever language happens to be active, members get their own or the default.
    with (
        freeze_time(date(2026, 1, 1)),
        translation.override("zh-hans"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert diligence_services.expiry_reminders_send() == 2
    sent = _by_recipient()
    chinese, default = sent["a-editor@example.org"], sent["a-admin@example.org"]
    assert chinese.subject.endswith("将在 19 天后到期：请上传新的文件")
    assert "请在此之前在门户中上传更新后的文件：" in chinese.body
    assert settings.LANGUAGE_CODE == "en"
    assert default.subject.endswith("expires in 19 days: upload the new one")
    assert "Please upload the renewed document in the portal before then:" in default.body


def test_switching_language_signed_in_stores_it_and_an_anonymous_switch_stores_nothing(people):
    admin = people["a_admin"]
    assert admin.language == ""
    client = _client(admin)
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.language == "zh-hans"
    assert admin.history.first().language == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    admin.refresh_from_db()
    assert admin.language == "en"
    # An unknown language changes nothing; nor does a switch by someone not signed in.
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    admin.refresh_from_db()
    assert admin.language == "en"
    Client().post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert not User.objects.filter(language="zh-hans").exists()


def test_signing_in_the_first_time_stores_the_language_in_use_but_never_overrides_a_choice(people):
    editor, viewer = people["a_editor"], people["a_viewer"]
    for user in (editor, viewer):
        user.set_password("A long enough password 42")
        user.save()
    User.objects.filter(pk=viewer.pk).update(language="en")
    for user in (editor, viewer):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "A long enough password 42"}
        )
        assert response.status_code == 302, response.content[:500]
    editor.refresh_from_db()
    viewer.refresh_from_db()
    assert editor.language == "zh-hans"
    assert viewer.language == "en"


def test_a_person_signing_up_from_an_invitation_keeps_the_language_they_signed_up_in(org_a, people):
    invitation = organizations_services.invitation_create(
        organization=org_a, email="xin@example.org", role="editor", invited_by=people["a_admin"]
    )
    password = "Steppe-wind-2024!"
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        f"/invitations/{invitation.token}/",
        {"full_name": "刘洋", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    assert User.objects.get(email="xin@example.org").language == "zh-hans"


def test_recipient_language_by_user_or_address_with_its_fallbacks(people):
    admin = people["a_admin"]
    User.objects.filter(pk=admin.pk).update(language="zh-hans")
    admin.refresh_from_db()
    assert recipient_language(admin, "en") == "zh-hans"
    assert recipient_language("A-Admin@Example.org", "en") == "zh-hans"
    assert recipient_language("someone@elsewhere.example", "zh-hans") == "zh-hans"
    assert recipient_language(people["a_editor"], "en") == "en"
    with translation.override(None):  # no language active (a task), an unknown default: the site's
        assert recipient_language("someone@elsewhere.example", "fr") == settings.LANGUAGE_CODE
    with translation.override("zh-hans"):
        assert recipient_language("someone@elsewhere.example") == "zh-hans"


def test_a_password_reset_is_in_the_accounts_language(people, django_capture_on_commit_callbacks):
    admin = people["a_admin"]
    User.objects.filter(pk=admin.pk).update(language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
            reverse("account_reset_password"), {"email": admin.email}
        )
    assert response.status_code == 302
    assert Email.objects.get(to=admin.email).language == "zh-hans"
    assert len(mail.outbox) == 1
    assert "密码" in mail.outbox[0].subject and "Password" not in mail.outbox[0].subject
