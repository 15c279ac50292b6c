"""Health check, language switching, and two-factor authentication required of privileged staff."""

import pytest
from allauth.mfa.models import Authenticator

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_the_in_process_broker(client, settings):
    settings.CELERY_BROKER_URL = "memory://localhost/"  # the embedded default: no broker to reach
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "in-process"},
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_503_and_names_what_is_down_when_the_cache_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    working = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    try:
        response = client.get("/healthz")
    finally:
        settings.CACHES = working  # the shared fixture clears the cache after the test
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("down: ")


def test_switching_to_chinese_shows_the_pages_in_chinese(client, people, org_a):
    home = client.get("/").content.decode()
    assert "Apply to join the programme" in home

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert '<html lang="zh-hans"' in home
    assert "申请加入计划" in home
    assert "社区赋能项目" in home

    client.force_login(people["a_admin"])
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    members = client.get(f"/o/{org_a.slug}/members/").content.decode()
    assert "邀请成员" in members and "管理员" in members
    apply = client.get("/apply/").content.decode()
    assert "统一社会信用代码" in apply and "提交申请" in apply

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Invite a member" in client.get(f"/o/{org_a.slug}/members/").content.decode()


def test_field_errors_are_translated_too(client):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    response = client.post("/apply/", {"credit_code": "91350100M000100Y4"})
    assert "统一社会信用代码应为 18 位；此代码为 17 位。" in response.content.decode()


@pytest.mark.parametrize("role", ["finance_officer", "administrator"])
def test_privileged_staff_without_totp_are_sent_to_set_it_up(client, people, settings, role):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    client.force_login(people[role])
    for path in ["/staff/", "/admin/", "/o/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/2fa/totp/activate/").status_code in (200, 302)
    assert client.get("/accounts/2fa/totp/activate/").get("Location") != "/accounts/2fa/totp/activate/"
    assert client.get("/healthz").status_code == 200


def test_a_finance_officer_with_totp_and_a_programme_officer_are_not_redirected(client, people, settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    client.force_login(people["programme_officer"])
    assert client.get("/staff/").status_code == 200

    finance = people["finance_officer"]
    Authenticator.objects.create(user=finance, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(finance)
    assert client.get("/staff/").status_code == 200


def test_without_the_setting_nobody_is_redirected(client, people, settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = False
    client.force_login(people["finance_officer"])
    assert client.get("/staff/").status_code == 200
