from django.urls import path

from . import views

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
]
