"""Long and unusual text: a 100,000-character narrative is refused at the form with a clear message and
nothing is saved; a 3,000-letter word and emoji print inside the page of a PDF (the word wraps, the emoji come
from Noto Color Emoji, Debian's fonts-noto-color-emoji); the site's CSS wraps long words in user text."""

from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from empowerment.documents.services import document_request
from empowerment.forms import LONG_TEXT
from organizations.models import ProgrammeApplication
from projects.models import ProgressUpdate
from tests.factories.projects import IndicatorFactory, ProjectFactory, UpdateFactory

pytestmark = pytest.mark.django_db

HUGE = "长" * 100_000
WORD = "Baotou" * 500  # 3,000 letters without a space
EMOJI = "😀🎉👍"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_100000_character_narrative_is_refused_at_the_field_and_nothing_is_saved(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, value_type="count")
    response = _client(people["a_editor"]).post(
        reverse("projects:update_new", args=[org_a.slug, project.pk]),
        {
            "period_start": "2025-01-01",
            "period_end": "2025-01-31",
            "narrative": HUGE,
            "volunteer_hours": "1",
            f"indicator_{indicator.pk}": "3",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors
    assert errors["narrative"] == [f"Ensure this value has at most {LONG_TEXT} characters (it has 100000)."]
    assert not ProgressUpdate.objects.exists()
    assert f'maxlength="{LONG_TEXT}"' in response.content.decode()  # the browser stops there too


def test_the_public_application_refuses_a_100000_character_motivation(client, application_post):
    response = client.post(reverse("organizations:apply"), {**application_post, "motivation": HUGE})
    assert response.status_code == 200
    assert "motivation" in response.context["form"].errors
    assert "at most" in response.context["form"].errors["motivation"][0]
    assert not ProgrammeApplication.objects.exists()


def test_a_narrative_at_the_limit_is_accepted(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    response = _client(people["a_editor"]).post(
        reverse("projects:update_new", args=[org_a.slug, project.pk]),
        {
            "period_start": "2025-01-01",
            "period_end": "2025-01-31",
            "narrative": "长" * LONG_TEXT,
            "volunteer_hours": "1",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert len(ProgressUpdate.objects.get().narrative) == LONG_TEXT


def _glyph_runs(page) -> list[tuple[float, str]]:
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            runs.append((cm[4] + tm[4] * cm[0], text))

    page.extract_text(visitor_text=visit)
    return runs


def test_a_long_word_wraps_inside_the_page_and_emoji_print_in_a_pdf(
    org_a, people, django_capture_on_commit_callbacks
):
    project = ProjectFactory(organization=org_a, status="active", title=f"Stairs {EMOJI}")
    update = UpdateFactory(project=project, status="approved", narrative=f"{WORD} {EMOJI} done.")
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind="project_progress_report", subject=update, language="en", requested_by=people["a_viewer"]
        )
    document.refresh_from_db()
    assert document.status == "ready", document.error
    reader = pypdf.PdfReader(document.file.open("rb"))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "".join(text.split()).count("Baotou") >= 500  # every letter of the word is printed
    for page in reader.pages:
        width = float(page.mediabox.width)
        for x, run in _glyph_runs(page):
            assert 0 <= x < width, f"text starts off the page at x={x}: {run[:40]!r}"
            # A run is at most as wide as the text area: 10.5 pt letters, about 0.6 em wide each.
            assert x + len(run.strip()) * 10.5 * 0.45 <= width + 1, f"text runs off the page: {run[:40]!r}"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("Noto-Color-Emoji" in name for name in fonts), fonts  # emoji drawn, not empty boxes


def test_the_site_css_wraps_long_words_in_user_text():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    assert "body { overflow-wrap: anywhere; }" in css
    pdf_base = (Path(settings.BASE_DIR) / "empowerment" / "templates" / "pdf" / "base.html").read_text()
    assert "overflow-wrap: anywhere" in pdf_base
    # Emoji come from fontconfig's fallback (the PDF above has Noto Color Emoji); named in the list, the emoji
    # font would also draw every run of bare digits, as bitmap images.
    family = pdf_base.split("body { font-family:", 1)[1].split(";", 1)[0]
    assert '"Noto Sans CJK SC"' in family and "Emoji" not in family
