from django.urls import path

from . import community_views, diligence_views, records_views, views

app_name = "organizations"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_thanks, name="apply_thanks"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("o/", views.portal_home, name="portal_home"),
    path("o/<slug:org_slug>/", views.portal_dashboard, name="portal_dashboard"),
    path("o/<slug:org_slug>/profile/", views.profile_edit, name="profile_edit"),
    path("o/<slug:org_slug>/profile/pdf/", views.profile_pdf_request, name="profile_pdf"),
    path("o/<slug:org_slug>/members/", views.members, name="members"),
    path("o/<slug:org_slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("o/<slug:org_slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("o/<slug:org_slug>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path(
        "o/<slug:org_slug>/documents/<int:pk>/", views.due_diligence_download, name="due_diligence_download"
    ),
    path("o/<slug:org_slug>/documents/", diligence_views.documents, name="documents"),
    path("o/<slug:org_slug>/partners/", community_views.partners, name="partners"),
    path("o/<slug:org_slug>/partners/resources/", community_views.resource_add, name="resource_add"),
    path(
        "o/<slug:org_slug>/partners/<int:pk>/unlink/", community_views.partner_unlink, name="partner_unlink"
    ),
    path("o/<slug:org_slug>/volunteers/", community_views.volunteers, name="volunteers"),
    path("o/<slug:org_slug>/volunteers/teams/<int:pk>/", community_views.team, name="volunteer_team"),
    path(
        "o/<slug:org_slug>/volunteers/teams/<int:pk>/hours/",
        community_views.hours_add,
        name="volunteer_hours",
    ),
    path("o/<slug:org_slug>/records/<slug:kind>/<int:pk>/", records_views.record_edit, name="record_edit"),
    path(
        "o/<slug:org_slug>/records/<slug:kind>/<int:pk>/delete/",
        records_views.record_delete,
        name="record_delete",
    ),
    path("staff/organizations/documents/", diligence_views.staff_documents, name="staff_documents"),
    path("staff/organizations/documents/<int:pk>/", diligence_views.staff_document, name="staff_document"),
    path("logos/<slug:org_slug>/", views.logo, name="logo"),
]
