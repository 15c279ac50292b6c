from django.urls import path

from . import capacity_views, cohort_views, mentoring_views, views

app_name = "trainings"

urlpatterns = [
    # Staff: trainers, programme officers and administrators.
    path("staff/trainings/", views.cohort_list, name="cohort_list"),
    path("staff/trainings/cohorts/<int:pk>/", views.cohort_dashboard, name="cohort_dashboard"),
    path(
        "staff/trainings/cohorts/<int:pk>/certificates/",
        views.cohort_certificates,
        name="cohort_certificates",
    ),
    path(
        "staff/trainings/cohorts/<int:pk>/attendance.xlsx", views.export_attendance, name="export_attendance"
    ),
    path("staff/trainings/cohorts/<int:pk>/results.xlsx", views.export_results, name="export_results"),
    path("staff/trainings/sessions/<int:pk>/attendance/", views.attendance_take, name="attendance_take"),
    path("staff/trainings/reviews/", views.review_queue, name="review_queue"),
    path("staff/trainings/submissions/<int:pk>/", views.submission_review, name="submission_review"),
    path("staff/trainings/submissions/<int:pk>/file/", views.submission_file, name="submission_file"),
    path("staff/trainings/actions/overdue/", views.overdue_actions, name="overdue_actions"),
    path("staff/trainings/actions/<int:pk>/done/", views.action_done, name="action_done"),
    # Cohort set-up.
    path("staff/trainings/cohorts/new/", cohort_views.cohort_create, name="cohort_create"),
    path("staff/trainings/cohorts/<int:pk>/edit/", cohort_views.cohort_edit, name="cohort_edit"),
    path(
        "staff/trainings/cohorts/<int:pk>/sessions/new/",
        cohort_views.session_form,
        {"creating": True},
        name="session_create",
    ),
    path("staff/trainings/sessions/<int:pk>/edit/", cohort_views.session_form, name="session_edit"),
    path(
        "staff/trainings/cohorts/<int:pk>/participants/",
        cohort_views.cohort_participants,
        name="cohort_participants",
    ),
    path(
        "staff/trainings/cohorts/<int:pk>/participants/members/<int:org_pk>/",
        cohort_views.enrol_members,
        name="enrol_members",
    ),
    path(
        "staff/trainings/cohorts/<int:pk>/participants/import/",
        cohort_views.enrol_import,
        name="enrol_import",
    ),
    path("staff/trainings/enrolments/<int:pk>/", cohort_views.enrolment_change, name="enrolment_change"),
    # Expert mentors.
    path("staff/trainings/mentoring/", mentoring_views.mentor_home, name="mentor_home"),
    path("staff/trainings/mentoring/actions/", mentoring_views.mentor_actions, name="mentor_actions"),
    path(
        "staff/trainings/mentoring/assignments/",
        mentoring_views.mentor_assignments,
        name="mentor_assignments",
    ),
    path(
        "staff/trainings/mentoring/actions/<int:pk>/close/", mentoring_views.action_close, name="action_close"
    ),
    path(
        "staff/trainings/mentoring/organizations/<int:org_pk>/",
        mentoring_views.mentor_organization,
        name="mentor_organization",
    ),
    path(
        "staff/trainings/mentoring/organizations/<int:org_pk>/visits/new/",
        mentoring_views.visit_log,
        name="visit_log",
    ),
    # Capacity assessments.
    path("staff/trainings/capacity/", capacity_views.capacity_index, name="capacity_index"),
    path(
        "staff/trainings/capacity/organizations/<int:org_pk>/",
        capacity_views.capacity_organization,
        name="capacity_organization",
    ),
    path(
        "staff/trainings/capacity/organizations/<int:org_pk>/assess/",
        capacity_views.capacity_assess,
        name="capacity_assess",
    ),
    # The organization portal.
    path("o/<slug:org_slug>/trainings/", views.portal_overview, name="portal_overview"),
    path("o/<slug:org_slug>/trainings/exercises/", views.portal_exercises, name="portal_exercises"),
    path("o/<slug:org_slug>/trainings/exercises/<int:pk>/", views.portal_exercise, name="portal_exercise"),
    path(
        "o/<slug:org_slug>/trainings/exercises/<int:pk>/file/",
        views.portal_submission_file,
        name="portal_submission_file",
    ),
    path("o/<slug:org_slug>/trainings/mentoring/", views.portal_mentoring, name="portal_mentoring"),
    path("o/<slug:org_slug>/trainings/capacity/", views.portal_capacity, name="portal_capacity"),
    path(
        "o/<slug:org_slug>/trainings/capacity/self-assessment/",
        capacity_views.portal_self_assessment,
        name="portal_self_assessment",
    ),
    path(
        "o/<slug:org_slug>/trainings/mentoring/actions/<int:pk>/answer/",
        mentoring_views.portal_action_answer,
        name="portal_action_answer",
    ),
]
