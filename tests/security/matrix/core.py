"""Site-wide URLs: home, health, language, documents, verification, staff home, allauth and the admin."""

from . import Entry, expect

ACCOUNT_PUBLIC = expect(200)
LOGIN_REQUIRED = expect(200, anonymous=302)


def setup(fx):
    """A profile PDF document of org A (rendered in-process) for the document URLs."""
    from django.contrib.contenttypes.models import ContentType

    from empowerment.models import Document

    fx.core_document = Document.objects.create(
        kind="organization_profile",
        subject_type=ContentType.objects.get_for_model(fx.org_a),
        subject_id=str(fx.org_a.pk),
        title="Profile",
        status=Document.Status.FAILED,
        error="test",
    )


ENTRIES = {
    "home": Entry(expect(200)),
    "healthz": Entry(expect(200)),
    "set_language": Entry(expect(302), method="post", data=lambda fx: {"language": "zh-hans", "next": "/"}),
    "verify": Entry(expect(200)),
    "verify_code": Entry(expect(404), kwargs=lambda fx: {"code": "NOSUCHCODE"}),
    "staff_home": Entry(expect(404, anonymous=302, staff=200)),
    "staff_audit": Entry(expect(404, anonymous=302, administrator=200)),
    # An organization's whole data: its administrators only (staff see the portal but may not export it).
    "organization_export": Entry(
        expect(404, anonymous=302, a_admin=200, a_editor=403, a_viewer=403, staff=403),
        kwargs=lambda fx: {"org_slug": fx.org_a.slug},
    ),
    # A document of org A: its members and staff see it; anyone else gets the same 404 as for no document.
    "document_detail": Entry(
        expect(404, members_a=200, staff=200), kwargs=lambda fx: {"pk": fx.core_document.pk}
    ),
    "document_status": Entry(
        expect(404, members_a=200, staff=200), kwargs=lambda fx: {"pk": fx.core_document.pk}
    ),
    "document_download": Entry(
        expect(404), kwargs=lambda fx: {"pk": fx.core_document.pk}
    ),  # not ready: 404 for all
    "document_retry": Entry(
        skip="changes the document's state; tested per role in tests/empowerment/test_documents.py"
    ),
    # Discarding deletes the document, so the roles are tested one by one in tests/empowerment/test_documents.py;
    # here: a GET never discards, for anyone.
    "document_discard": Entry(expect(405), kwargs=lambda fx: {"pk": fx.core_document.pk}),
    # The installable offline portal: the worker, manifest and offline page are public and show nobody's
    # data; the drafts page and the field kit are the signed-in person's own.
    "pwa_service_worker": Entry(expect(200)),
    "pwa_manifest": Entry(expect(200)),
    "pwa_offline": Entry(expect(200)),
    "pwa_drafts": Entry(LOGIN_REQUIRED),
    "pwa_field_kit": Entry(LOGIN_REQUIRED),
    # django-allauth
    "account_login": Entry(expect(200, a_admin=302, a_editor=302, a_viewer=302, b_admin=302, staff=302)),
    "account_logout": Entry(expect(200, anonymous=302)),  # GET shows the confirmation form
    "account_signup": Entry(expect(200, a_admin=302, a_editor=302, a_viewer=302, b_admin=302, staff=302)),
    "account_reset_password": Entry(ACCOUNT_PUBLIC),
    "account_reset_password_done": Entry(ACCOUNT_PUBLIC),
    "account_reset_password_from_key": Entry(
        ACCOUNT_PUBLIC, kwargs=lambda fx: {"uidb36": "zz", "key": "bad-key"}
    ),
    "account_reset_password_from_key_done": Entry(ACCOUNT_PUBLIC),
    "account_email": Entry(LOGIN_REQUIRED),
    "account_change_password": Entry(LOGIN_REQUIRED),
    "account_set_password": Entry(expect(302)),
    "account_inactive": Entry(ACCOUNT_PUBLIC),
    "account_email_verification_sent": Entry(ACCOUNT_PUBLIC),
    "account_confirm_email": Entry(expect(200), kwargs=lambda fx: {"key": "not-a-key"}),
    "account_reauthenticate": Entry(LOGIN_REQUIRED),
    "account_confirm_login_code": Entry(expect(302)),
    "mfa_index": Entry(LOGIN_REQUIRED),
    # Setting up TOTP first asks to re-enter the password; the rest exist only once TOTP is active.
    "mfa_activate_totp": Entry(expect(302)),
    "mfa_deactivate_totp": Entry(expect(404, anonymous=302)),
    "mfa_view_recovery_codes": Entry(expect(404, anonymous=302)),
    "mfa_generate_recovery_codes": Entry(expect(302)),
    "mfa_download_recovery_codes": Entry(expect(404, anonymous=302)),
    "mfa_authenticate": Entry(expect(302)),
    "mfa_reauthenticate": Entry(expect(302)),
    "re:^(account|mfa)_.*": Entry(skip="other allauth pages: flows that need a pending login stage"),
    # The admin: staff only; every model page is checked against the group's permissions in
    # test_admin_changelists_follow_the_role_table.
    "admin:index": Entry(expect(302, staff=200)),
    # The admin login goes through allauth's (rate-limited) login; members are refused.
    "admin:login": Entry(expect(302, members_a=403, b_admin=403)),
    "admin:logout": Entry(skip="logs the client out; POST only"),
    "admin:password_change": Entry(expect(302, staff=200)),
    "admin:password_change_done": Entry(expect(302, staff=200)),
    "admin:jsi18n": Entry(expect(302, staff=200)),
    "admin:autocomplete": Entry(skip="needs query parameters; staff only (tested with the admin)"),
    "admin:view_on_site": Entry(skip="redirects to an object's public page"),
    "admin:app_list": Entry(skip="per app: covered by the changelist test"),
    "re:^admin:.*_(changelist|add)$": Entry(skip="checked against the role table in test_admin_pages"),
    "re:^admin:.*_(change|delete|history|simple_history|autocomplete)$": Entry(
        skip="object pages: same permission as the changelist"
    ),
    "re:^admin:.*": Entry(skip="admin internals"),
}
