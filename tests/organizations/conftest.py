import pytest

from organizations.models import Theme
from tests.factories.core import community_area


@pytest.fixture
def community(db):
    """A community area with its town, county and city (Baotou)."""
    return community_area()


@pytest.fixture
def themes(db):
    return [
        Theme.objects.get_or_create(
            slug="older-people", defaults={"name_en": "Older people", "name_zh_hans": "为老服务"}
        )[0],
        Theme.objects.get_or_create(
            slug="children", defaults={"name_en": "Children", "name_zh_hans": "儿童关爱"}
        )[0],
    ]


@pytest.fixture
def application_post(community, themes):
    """The fields of the public application form, as a browser posts them."""
    town = community.parent
    return {
        "name": "包头市昆都仑区阳光社会工作服务中心",
        "legal_form": "social_service",
        "credit_code": "52150203MJ0000001C",
        "registration_date": "2019-05-20",
        "area": str(town.pk),
        "address": "少先路 12 号",
        "themes": [str(themes[0].pk)],
        "staff_count": "6",
        "volunteer_count": "40",
        "contact_name": "王芳",
        "contact_email": "wangfang@example.org",
        "contact_phone": "13800000000",
        "motivation": "我们希望提升为老服务的专业能力。",
    }
