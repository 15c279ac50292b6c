"""The results framework (indicator levels, breakdowns of reported values, theme indicators and their
roll-ups) and the rating of approved progress reports, through the services and selectors."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from empowerment.models import Email
from projects import selectors, services
from projects.models import (
    Indicator,
    IndicatorValue,
    IndicatorValuePart,
    ProgressUpdate,
    StandardIndicator,
)
from tests.factories.projects import IndicatorFactory, ProjectFactory, UpdateFactory, theme

pytestmark = pytest.mark.django_db


def _standard(code="op-people", aggregation="cumulative", kind="count", theme_slug="older_people"):
    return StandardIndicator.objects.create(
        code=code,
        name=f"Standard {code}",
        unit="people",
        theme=theme(theme_slug),
        value_type=kind,
        aggregation=aggregation,
    )


def _save(project, by, indicator, total, parts=None, update=None):
    return services.update_save(
        project=project,
        by=by,
        data={"period_start": date(2025, 1, 1), "period_end": date(2025, 1, 31), "narrative": "Checks."},
        values={indicator.pk: total},
        people=[],
        parts=parts,
        update=update,
    )


# Breakdowns of reported values -----------------------------------------------------------------------


def test_a_value_broken_down_by_sex_and_age_is_saved_with_its_parts(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, by_sex=True, by_age_band=True)
    parts = {
        indicator.pk: {
            "sex": {"female": "18", "male": "12", "unspecified": ""},
            "age_band": {"60-79": "25", "80+": "5"},
        }
    }
    update = _save(project, people["a_editor"], indicator, "30", parts)
    value = IndicatorValue.objects.get(update=update)
    assert value.value == Decimal("30")
    saved = {(p.dimension, p.category): p.amount for p in value.parts.all()}
    assert saved == {
        ("sex", "female"): Decimal("18"),
        ("sex", "male"): Decimal("12"),
        ("age_band", "60-79"): Decimal("25"),
        ("age_band", "80+"): Decimal("5"),
    }
    assert IndicatorValuePart.history.filter(history_type="+").count() == 4  # each part has its history
    # Saving again replaces the parts (no duplicates), and a breakdown no longer given is refused.
    _save(
        project,
        people["a_editor"],
        indicator,
        "10",
        {indicator.pk: {"sex": {"male": "10"}, "age_band": {"80+": "10"}}},
        update,
    )
    assert {(p.dimension, p.category, p.amount) for p in IndicatorValuePart.objects.all()} == {
        ("sex", "male", Decimal("10")),
        ("age_band", "80+", Decimal("10")),
    }


@pytest.mark.parametrize(
    ("total", "parts", "message"),
    [
        ("30", {"sex": {"female": "18", "male": "10"}}, "add up to 28, not to the total 30"),
        ("30", {}, "Break the value down by sex"),
        ("", {"sex": {"female": "3"}}, "Enter the total as well as its parts"),
        ("3", {"sex": {"female": "1.5", "male": "1.5"}}, "enter a whole number"),
        ("3", {"sex": {"female": "-1", "male": "4"}}, "cannot be negative"),
        ("3", {"sex": {"woman": "3"}}, "parts it does not know"),
    ],
)
def test_a_wrong_breakdown_is_refused_at_the_indicator_and_nothing_is_saved(
    org_a, people, total, parts, message
):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, by_sex=True)
    with pytest.raises(ValidationError) as exc:
        _save(project, people["a_editor"], indicator, total, {indicator.pk: parts})
    assert list(exc.value.message_dict) == [f"indicator_{indicator.pk}"]
    assert message in " ".join(exc.value.message_dict[f"indicator_{indicator.pk}"])
    assert not ProgressUpdate.objects.exists()
    assert not IndicatorValue.objects.exists() and not IndicatorValuePart.objects.exists()


def test_an_indicator_without_breakdowns_ignores_no_parts_and_needs_none(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project)
    update = _save(project, people["a_editor"], indicator, "30")
    assert update.values.get().value == Decimal("30") and not IndicatorValuePart.objects.exists()


def test_a_percentage_cannot_be_broken_down_nor_map_to_a_theme_indicator_of_another_kind(org_a):
    project = ProjectFactory(organization=org_a)
    pct = Indicator(
        project=project, name="Share", unit="%", value_type="percentage", target=Decimal("80"), by_sex=True
    )
    with pytest.raises(ValidationError) as exc:
        pct.full_clean()
    assert "value_type" in exc.value.message_dict
    latest = _standard(aggregation="latest")
    mismatch = Indicator(
        project=project,
        name="Checked",
        unit="people",
        value_type="count",
        target=Decimal("9"),
        standard=latest,
    )
    with pytest.raises(ValidationError) as exc:
        mismatch.full_clean()
    assert "standard" in exc.value.message_dict
    mismatch.aggregation = "latest"
    mismatch.full_clean()  # the same kind and aggregation: accepted
    # The database holds the percentage rule whatever path writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            project=project,
            name="Share",
            unit="%",
            value_type="percentage",
            target=Decimal("80"),
            by_age_band=True,
        )


def test_a_correction_copies_the_parts_of_the_values(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, by_sex=True)
    update = _save(
        project, people["a_editor"], indicator, "5", {indicator.pk: {"sex": {"female": "2", "male": "3"}}}
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(status="approved")
    new = services.update_correct(update=update, by=people["a_editor"])
    assert {(p.category, p.amount) for p in IndicatorValuePart.objects.filter(value__update=new)} == {
        ("female", Decimal("2")),
        ("male", Decimal("3")),
    }


def test_project_breakdowns_add_cumulative_parts_and_take_the_latest_values_parts(org_a):
    project = ProjectFactory(organization=org_a, status="active")
    cumulative = IndicatorFactory(project=project, name="checked", by_sex=True)
    latest = IndicatorFactory(
        project=project, name="enrolled", aggregation="latest", by_sex=True, level="outcome", position=1
    )
    for month, (c_f, c_m, l_f, l_m) in enumerate([(6, 4, 20, 10), (9, 6, 25, 15)], start=1):
        update = UpdateFactory(
            project=project,
            period_start=date(2025, month, 1),
            period_end=date(2025, month, 28),
            status="approved",
        )
        for indicator, female, male in ((cumulative, c_f, c_m), (latest, l_f, l_m)):
            value = IndicatorValue.objects.create(update=update, indicator=indicator, value=female + male)
            IndicatorValuePart.objects.create(value=value, dimension="sex", category="female", amount=female)
            IndicatorValuePart.objects.create(value=value, dimension="sex", category="male", amount=male)
    # A submitted update does not count.
    pending = UpdateFactory(
        project=project, period_start=date(2025, 3, 1), period_end=date(2025, 3, 31), status="submitted"
    )
    value = IndicatorValue.objects.create(update=pending, indicator=cumulative, value=100)
    IndicatorValuePart.objects.create(value=value, dimension="sex", category="female", amount=100)
    progress = selectors.with_breakdowns(project, selectors.indicator_progress(project))
    by_name = {p.indicator.name: p for p in progress}
    assert by_name["checked"].current == Decimal("25.00")
    assert by_name["checked"].breakdowns == [("By sex", [("Female", Decimal("15")), ("Male", Decimal("10"))])]
    assert by_name["enrolled"].current == Decimal("40.00")
    assert by_name["enrolled"].breakdowns == [
        ("By sex", [("Female", Decimal("25")), ("Male", Decimal("15"))])
    ]
    levels = selectors.indicators_by_level(progress)
    assert [(str(label), [p.indicator.name for p in items]) for label, items in levels] == [
        ("Output", ["checked"]),
        ("Outcome", ["enrolled"]),
    ]


# Theme roll-ups ----------------------------------------------------------------------------------------


def _value(indicator, update, value, **parts):
    row = IndicatorValue.objects.create(update=update, indicator=indicator, value=Decimal(value))
    for category, amount in parts.items():
        IndicatorValuePart.objects.create(
            value=row, dimension="sex", category=category, amount=Decimal(amount)
        )
    return row


def _update(project, month, status="approved", supersedes=None):
    return UpdateFactory(
        project=project,
        period_start=date(2025, month, 1),
        period_end=date(2025, month, 28),
        status=status,
        supersedes=supersedes,
    )


def test_theme_rollups_computed_by_hand_and_unpublished_projects_left_out_of_the_public_ones(org_a, org_b):
    served = _standard("op-served")
    enrolled = _standard("op-enrolled", aggregation="latest")
    children = _standard("ch-children", theme_slug="children")
    a = ProjectFactory(organization=org_a, status="active")
    b = ProjectFactory(organization=org_b, status="completed")
    hidden = ProjectFactory(organization=org_a, status="submitted")  # not public
    a_served = IndicatorFactory(project=a, standard=served, by_sex=True)
    a_enrolled = IndicatorFactory(project=a, standard=enrolled, aggregation="latest", position=1)
    a_other = IndicatorFactory(project=a, position=2)  # no theme indicator: not rolled up
    b_served = IndicatorFactory(project=b, standard=served)
    b_enrolled = IndicatorFactory(project=b, standard=enrolled, aggregation="latest", position=1)
    b_children = IndicatorFactory(project=b, standard=children, position=2)
    hidden_served = IndicatorFactory(project=hidden, standard=served)

    jan, feb = _update(a, 1), _update(a, 2)
    _value(a_served, jan, "10", female="6", male="4")
    _value(a_served, feb, "15", female="9", male="6")
    _value(a_enrolled, jan, "40")
    _value(a_enrolled, feb, "55")  # latest of a: 55
    _value(a_other, jan, "999")
    _value(a_served, _update(a, 3, status="submitted"), "500")  # not approved: left out
    b_jan = _update(b, 1)
    b_fix = _update(b, 1, supersedes=b_jan)  # an approved correction replaces b_jan's values
    for indicator, first, corrected in (
        (b_served, "7", "9"),
        (b_enrolled, "18", "20"),
        (b_children, "12", "12"),
    ):
        _value(indicator, b_jan, first)
        _value(indicator, b_fix, corrected)
    _value(hidden_served, _update(hidden, 1), "1000")

    def figures(results):
        return {
            theme_.slug: {r.standard.code: (r.total, r.projects, r.breakdowns) for r in rows}
            for theme_, rows in results
        }

    by_sex = [("By sex", [("Female", Decimal("15")), ("Male", Decimal("10"))], Decimal("25"))]
    # Published projects: served = 10 + 15 (a) + 9 (b, corrected) = 34; enrolled = 55 (a) + 20 (b) = 75.
    public = figures(selectors.theme_results(public_only=True))
    older = public.pop("older_people")
    assert older == {"op-served": (Decimal("34.00"), 2, by_sex), "op-enrolled": (Decimal("75.00"), 2, [])}
    assert public == {"children": {"ch-children": (Decimal("12.00"), 1, [])}}
    # Staff see every project: the submitted one's 1000 is added.
    staff = figures(selectors.theme_results(public_only=False))
    assert staff["older_people"]["op-served"] == (Decimal("1034.00"), 3, by_sex)


def test_theme_rollups_are_empty_without_mapped_values():
    _standard()
    assert selectors.theme_results(public_only=True) == []


# Rating approved reports --------------------------------------------------------------------------------


def test_an_officer_rates_an_approved_report_and_changes_it_with_history(
    org_a, people, django_capture_on_commit_callbacks
):
    update = UpdateFactory(project=ProjectFactory(organization=org_a, status="active"), status="approved")
    officer = people["programme_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        services.update_rate(update=update, by=officer, score=3, feedback="Add the sign-in sheets.")
    update.refresh_from_db()
    assert (update.quality_score, update.rating_feedback, update.rated_by) == (
        3,
        "Add the sign-in sheets.",
        officer,
    )
    assert update.rated_at is not None
    assert Email.objects.filter(subject__contains="Feedback on the progress update").exists()
    services.update_rate(update=update, by=people["administrator"], score=5, feedback="  Much clearer now. ")
    update.refresh_from_db()
    assert (update.quality_score, update.rating_feedback) == (5, "Much clearer now.")
    history = selectors.rating_history(update)
    assert [(h.quality_score, h.rating_feedback) for h in history] == [
        (3, "Add the sign-in sheets."),
        (5, "Much clearer now."),
    ]
    assert selectors.updates_to_rate().filter(pk=update.pk).exists() is False
    # The organization's data export carries the rating of its reports.
    exported = selectors.organization_export_tables(org_a)["progress_updates"]
    assert [(r["quality_score"], r["rating_feedback"]) for r in exported] == [(5, "Much clearer now.")]


@pytest.mark.parametrize(
    ("score", "feedback", "field"),
    [
        (0, "Fine.", "score"),
        (6, "Fine.", "score"),
        ("5", "Fine.", "score"),
        (True, "Fine.", "score"),
        (None, "Fine.", "score"),
        (4, "   ", "feedback"),
    ],
)
def test_a_rating_off_the_scale_or_without_feedback_is_refused(org_a, people, score, feedback, field):
    update = UpdateFactory(project=ProjectFactory(organization=org_a, status="active"), status="approved")
    with pytest.raises(ValidationError) as exc:
        services.update_rate(update=update, by=people["programme_officer"], score=score, feedback=feedback)
    assert field in exc.value.message_dict
    update.refresh_from_db()
    assert update.quality_score is None and update.rating_feedback == "" and update.rated_by is None


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_only_an_approved_report_is_rated(org_a, people, status):
    update = UpdateFactory(project=ProjectFactory(organization=org_a, status="active"), status=status)
    with pytest.raises(ValidationError):
        services.update_rate(update=update, by=people["programme_officer"], score=4, feedback="Good.")
    update.refresh_from_db()
    assert update.quality_score is None
    # Nor can the database hold one.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=update.pk).update(quality_score=4)


@pytest.mark.parametrize("role", ["a_admin", "a_editor", "a_viewer", "b_admin", "finance_officer", "trainer"])
def test_only_programme_officers_and_administrators_rate(org_a, people, role):
    update = UpdateFactory(project=ProjectFactory(organization=org_a, status="active"), status="approved")
    with pytest.raises(PermissionDenied):
        services.update_rate(update=update, by=people[role], score=4, feedback="Good.")
    update.refresh_from_db()
    assert update.quality_score is None


def test_a_rating_given_with_the_approval_and_none_with_a_return(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    update = UpdateFactory(project=project, status="submitted")
    officer = people["programme_officer"]
    with pytest.raises(ValidationError) as exc:
        services.update_review(
            update=update, by=officer, approve=False, comment="Fix it.", score=2, feedback="Weak."
        )
    assert "score" in exc.value.message_dict
    update.refresh_from_db()
    assert update.status == "submitted" and update.quality_score is None
    with pytest.raises(ValidationError) as exc:
        services.update_review(update=update, by=officer, approve=True, score=4, feedback="")
    assert "feedback" in exc.value.message_dict
    update.refresh_from_db()
    assert update.status == "submitted"
    services.update_review(update=update, by=officer, approve=True, score=4, feedback="Clear results.")
    update.refresh_from_db()
    assert (update.status, update.quality_score, update.rating_feedback) == ("approved", 4, "Clear results.")


def test_the_queue_of_reports_waiting_for_rating(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    waiting = UpdateFactory(project=project, status="approved")
    rated = UpdateFactory(
        project=project, status="approved", period_start=date(2025, 2, 1), period_end=date(2025, 2, 28)
    )
    UpdateFactory(
        project=project, status="submitted", period_start=date(2025, 3, 1), period_end=date(2025, 3, 31)
    )
    services.update_rate(update=rated, by=people["programme_officer"], score=4, feedback="Good.")
    assert list(selectors.updates_to_rate()) == [waiting]
