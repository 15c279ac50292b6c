from django.urls import path

from . import results_views, views, wizard_views

app_name = "projects"

ORG = "o/<slug:org_slug>/"

urlpatterns = [
    # Public: a progress-update photo (the project's public page lives in transparency)
    path("projects/photos/<int:pk>/", views.photo, name="photo"),
    # Portal: needs assessments
    path(ORG + "needs/", views.assessment_list, name="assessment_list"),
    path(ORG + "needs/new/", views.assessment_edit, name="assessment_new"),
    path(ORG + "needs/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path(ORG + "needs/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path(ORG + "needs/<int:pk>/needs/new/", views.need_edit, name="need_new"),
    path(ORG + "needs/<int:pk>/needs/<int:need_pk>/", views.need_edit, name="need_edit"),
    path(ORG + "needs/<int:pk>/needs/<int:need_pk>/choose/", views.need_choose, name="need_choose"),
    path(ORG + "needs/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        ORG + "needs/<int:pk>/attachments/<int:att_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(ORG + "needs/<int:pk>/survey/", views.survey_upload, name="survey_upload"),
    path(ORG + "needs/<int:pk>/survey/<int:survey_pk>/", views.survey_detail, name="survey_detail"),
    # Portal: projects
    path(ORG + "projects/", views.portal_list, name="portal_list"),
    path(ORG + "projects/new/", wizard_views.project_new, name="project_new"),
    path(ORG + "projects/<int:pk>/", views.portal_detail, name="portal_detail"),
    path(ORG + "projects/<int:pk>/edit/<slug:step>/", wizard_views.wizard, name="wizard"),
    path(ORG + "projects/<int:pk>/proposal/rows/<slug:kind>/", wizard_views.wizard_row, name="wizard_row"),
    path(
        ORG + "projects/<int:pk>/proposal/budget-total/",
        wizard_views.wizard_budget_total,
        name="wizard_budget_total",
    ),
    path(ORG + "projects/<int:pk>/move/", views.portal_move, name="portal_move"),
    path(ORG + "projects/<int:pk>/report/", views.report_request, name="report_request"),
    path(ORG + "projects/<int:pk>/updates/new/", views.update_new, name="update_new"),
    path(ORG + "projects/<int:pk>/updates/<int:upk>/", views.update_detail, name="update_detail"),
    path(ORG + "projects/<int:pk>/updates/<int:upk>/edit/", views.update_edit, name="update_edit"),
    path(ORG + "projects/<int:pk>/updates/<int:upk>/submit/", views.update_submit, name="update_submit"),
    path(ORG + "projects/<int:pk>/updates/<int:upk>/correct/", views.update_correct, name="update_correct"),
    path(ORG + "projects/<int:pk>/evidence/<int:doc_pk>/", views.evidence_download, name="evidence_download"),
    # Staff
    path("staff/projects/review/", views.staff_review, name="staff_review"),
    path("staff/projects/overdue/", views.staff_overdue, name="staff_overdue"),
    path("staff/projects/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/projects/<int:pk>/move/", views.staff_move, name="staff_move"),
    path("staff/projects/<int:pk>/report/", views.staff_report, name="staff_report"),
    path("staff/projects/updates/<int:upk>/", views.staff_update, name="staff_update"),
    path("staff/projects/updates/<int:upk>/rate/", results_views.staff_update_rate, name="staff_update_rate"),
    path("staff/projects/results/", results_views.staff_results, name="staff_results"),
]
