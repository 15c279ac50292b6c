from django.urls import path

from .views import checkpoints, disclosures, engagement, opendata, public, reports, workreport

app_name = "transparency"

urlpatterns = [
    path("funds/flow/", public.fund_flow, name="fund_flow"),
    path("funds/<slug:code>/", public.fund_detail, name="fund_detail"),
    path("organizations/", public.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", public.organization_detail, name="organization_detail"),
    # The one public page of each project and campaign
    path("projects/", public.project_list, name="project_list"),
    path("projects/<slug:slug>/", public.project_detail, name="project_detail"),
    path("campaigns/", public.campaign_list, name="campaign_list"),
    path("campaigns/<slug:slug>/", public.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:slug>/progress/", public.campaign_progress, name="campaign_progress"),
    path("campaigns/<slug:slug>/images/<int:pk>/", public.campaign_image, name="campaign_image"),
    # Older addresses of the same pages: permanent redirects (query string kept)
    path("transparency/projects/", public.moved_to("transparency:project_list"), name="moved_project_list"),
    path(
        "transparency/projects/<slug:slug>/",
        public.moved_to("transparency:project_detail"),
        name="moved_project_detail",
    ),
    path(
        "money/projects/<slug:slug>/",
        public.moved_to("transparency:project_detail"),
        name="moved_project_money",
    ),
    path(
        "transparency/campaigns/", public.moved_to("transparency:campaign_list"), name="moved_campaign_list"
    ),
    path(
        "transparency/campaigns/<slug:slug>/",
        public.moved_to("transparency:campaign_detail"),
        name="moved_campaign_detail",
    ),
    path("money/funds/<slug:code>/", public.moved_to("transparency:fund_detail"), name="moved_fund_money"),
    path("transparency/<str:kind>/<slug:slug>/ask/", engagement.ask, name="ask"),
    path("transparency/<str:kind>/<slug:slug>/follow/", engagement.follow, name="follow"),
    path("follow/confirm/<str:token>/", engagement.follow_confirm, name="follow_confirm"),
    path("follow/unsubscribe/<str:token>/", engagement.unfollow, name="unfollow"),
    path("ledger/checkpoints/", checkpoints.checkpoint_list, name="checkpoints"),
    path("open-data/", opendata.open_data, name="open_data"),
    path("open-data/iati-activities.xml", opendata.iati, name="open_data_iati"),
    path("open-data/<slug:dataset>.<str:fmt>", opendata.download, name="open_data_download"),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/<str:code>/", reports.report_detail, name="report_detail"),
    path("staff/transparency/reports/", reports.staff_reports, name="staff_reports"),
    path("staff/transparency/disclosures/", disclosures.staff_disclosures, name="staff_disclosures"),
    path(
        "staff/transparency/disclosures/publish/<str:key>/",
        disclosures.staff_disclosure_publish,
        name="staff_disclosure_publish",
    ),
    path(
        "staff/transparency/disclosures/<int:pk>/correct/",
        disclosures.staff_disclosure_correct,
        name="staff_disclosure_correct",
    ),
    # The annual work report (年度工作报告)
    path("work-reports/", workreport.public_list, name="workreport_list"),
    path("work-reports/<int:year>/", workreport.public_detail, name="workreport_detail"),
    path("staff/transparency/work-reports/", workreport.staff_list, name="workreport_staff_list"),
    path(
        "staff/transparency/work-reports/<int:year>/", workreport.staff_detail, name="workreport_staff_detail"
    ),
    path(
        "staff/transparency/work-reports/<int:year>/refresh/", workreport.refresh, name="workreport_refresh"
    ),
    path(
        "staff/transparency/work-reports/<int:year>/publish/", workreport.publish, name="workreport_publish"
    ),
    path(
        "staff/transparency/work-reports/<int:year>/sections/<slug:key>/",
        workreport.section_edit,
        name="workreport_section_edit",
    ),
    path("o/<slug:org_slug>/reports/", reports.portal_reports, name="portal_reports"),
    path("o/<slug:org_slug>/disclosures/", disclosures.portal_disclosures, name="portal_disclosures"),
    path(
        "o/<slug:org_slug>/disclosures/publish/<str:key>/",
        disclosures.portal_disclosure_publish,
        name="portal_disclosure_publish",
    ),
    path(
        "o/<slug:org_slug>/disclosures/<int:pk>/correct/",
        disclosures.portal_disclosure_correct,
        name="portal_disclosure_correct",
    ),
]
