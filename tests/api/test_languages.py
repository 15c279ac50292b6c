"""The API's texts in the language asked for: Accept-Language, or ?lang= which wins; a text given only in
the other language comes in that one; the English name of an organization stays in name_en."""

import json

import pytest
from django.test import Client

from organizations.models import Organization
from projects.models import Project

pytestmark = pytest.mark.django_db


def _get(path, **headers) -> dict:
    response = Client(**headers).get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return json.loads(response.content)


@pytest.fixture
def chinese(published):
    Project.objects.filter(slug="health-checks").update(title_zh_hans="长者健康检查")
    return published


def test_accept_language_chooses_the_language_of_titles_and_names(chinese):
    zh = _get("/api/v1/projects/health-checks", HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = _get("/api/v1/projects/health-checks", HTTP_ACCEPT_LANGUAGE="en")
    assert zh["title"] == "长者健康检查" and en["title"] == "Health checks for older residents"
    org_zh = _get("/api/v1/organizations/org-a", HTTP_ACCEPT_LANGUAGE="zh-hans")
    org_en = _get("/api/v1/organizations/org-a", HTTP_ACCEPT_LANGUAGE="en")
    assert (org_zh["name"], org_en["name"]) == ("甲社区服务中心", "Org A")
    assert org_zh["name_en"] == org_en["name_en"] == "Org A"


def test_the_lang_parameter_wins_over_the_header_and_is_cached_apart(chinese):
    assert (
        _get("/api/v1/projects/health-checks?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en")["title"]
        == "长者健康检查"
    )
    assert _get("/api/v1/projects/health-checks?lang=en", HTTP_ACCEPT_LANGUAGE="zh-hans")["title"] == (
        "Health checks for older residents"
    )
    # An unknown value is ignored: the header decides.
    assert (
        _get("/api/v1/projects/health-checks?lang=fr", HTTP_ACCEPT_LANGUAGE="zh-hans")["title"]
        == "长者健康检查"
    )


def test_a_text_only_in_the_other_language_falls_back(chinese):
    stairs = _get("/api/v1/projects/safe-stairs?lang=zh-hans")
    assert stairs["title"] == "Safe stairs"
    Organization.objects.filter(slug="org-b").update(name_en=None)
    assert _get("/api/v1/organizations/org-b?lang=en")["name"] == "乙社区服务中心"
    assert _get("/api/v1/organizations/org-b?lang=en")["name_en"] == ""
