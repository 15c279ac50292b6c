from django.urls import path

from fundraising import statement_views

from . import bill_views, grant_views, receipt_views, views

app_name = "fundraising"

# Signed notifications from online platforms (answered early by fundraising.middleware, by this pattern).
notify_pattern = path("api/donations/notify/<slug:channel>/", views.notify_donation, name="notify_donation")

urlpatterns = [
    # Public: tracing one's own donation (campaign, project and fund pages live in transparency)
    path("money/lookup/", views.donation_lookup, name="donation_lookup"),
    # Public: a donor's year-end statement, asked for with an official receipt's number or by a signed link
    path("money/statement/", receipt_views.statement_request, name="statement_request"),
    path("money/statement/<str:token>/", receipt_views.statement_link, name="statement_link"),
    notify_pattern,
    # Staff
    path("staff/fundraising/", views.dashboard, name="dashboard"),
    path("staff/fundraising/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("staff/fundraising/donations/new/", views.donation_new, name="donation_new"),
    path("staff/fundraising/donations/<int:pk>/receipt/", views.donation_receipt, name="donation_receipt"),
    path("staff/fundraising/expenditures/", views.expenditure_list, name="expenditure_list"),
    path("staff/fundraising/expenditures/<int:pk>/", views.expenditure_detail, name="expenditure_detail"),
    path(
        "staff/fundraising/expenditures/<int:pk>/document/",
        views.expenditure_document,
        name="expenditure_document",
    ),
    path("staff/fundraising/close-month/", views.period_close_view, name="period_close"),
    path("staff/fundraising/imports/new/", views.import_new, name="import_new"),
    path("staff/fundraising/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("staff/fundraising/imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("staff/fundraising/imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("staff/fundraising/imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("staff/fundraising/imports/<int:pk>/discard/", views.import_discard, name="import_discard"),
    # Staff: platform bills and reconciliation with the bank statement
    path("staff/fundraising/bills/", bill_views.bill_list, name="bill_list"),
    path("staff/fundraising/bills/<int:pk>/", bill_views.bill_detail, name="bill_detail"),
    path("staff/fundraising/bills/<int:pk>/import/", bill_views.bill_import, name="bill_import"),
    path("staff/fundraising/bills/<int:pk>/discard/", bill_views.bill_discard, name="bill_discard"),
    path("staff/fundraising/reconciliation/", bill_views.reconciliation, name="reconciliation"),
    path(
        "staff/fundraising/reconciliation/match/",
        bill_views.reconciliation_match,
        name="reconciliation_match",
    ),
    path(
        "staff/fundraising/reconciliation/lines/<int:pk>/",
        bill_views.bank_line_detail,
        name="bank_line_detail",
    ),
    # Staff: grants and government service contracts, their tranches, in-kind gifts
    path("staff/fundraising/grants/", grant_views.grant_list, name="grant_list"),
    path("staff/fundraising/grants/new/", grant_views.grant_create, name="grant_create"),
    path("staff/fundraising/grants/overdue/", grant_views.grant_overdue, name="grant_overdue"),
    path("staff/fundraising/grants/<int:pk>/", grant_views.grant_detail, name="grant_detail"),
    path("staff/fundraising/grants/<int:pk>/edit/", grant_views.grant_edit, name="grant_edit"),
    path(
        "staff/fundraising/grants/<int:pk>/tranches/<int:tranche_pk>/receive/",
        grant_views.tranche_receive,
        name="tranche_receive",
    ),
    path("staff/fundraising/in-kind/", grant_views.in_kind_list, name="in_kind_list"),
    path("staff/fundraising/in-kind/new/", grant_views.in_kind_new, name="in_kind_new"),
    # Staff: the official donation receipt register (公益事业捐赠票据) and donors' statements
    path("staff/fundraising/receipts/", receipt_views.receipt_list, name="receipt_list"),
    path(
        "staff/fundraising/receipts/export.csv",
        receipt_views.receipt_export,
        {"fmt": "csv"},
        name="receipt_export_csv",
    ),
    path(
        "staff/fundraising/receipts/export-sync.csv",
        receipt_views.receipt_export,
        {"fmt": "sync.csv"},
        name="receipt_export_sync",
    ),
    path(
        "staff/fundraising/receipts/export.xlsx",
        receipt_views.receipt_export,
        {"fmt": "xlsx"},
        name="receipt_export_xlsx",
    ),
    path("staff/fundraising/receipts/<int:pk>/", receipt_views.receipt_detail, name="receipt_detail"),
    path("staff/fundraising/receipts/<int:pk>/void/", receipt_views.receipt_void, name="receipt_void"),
    path(
        "staff/fundraising/receipts/<int:pk>/reissue/", receipt_views.receipt_reissue, name="receipt_reissue"
    ),
    path(
        "staff/fundraising/donations/<int:pk>/official-receipt/",
        receipt_views.receipt_issue,
        name="receipt_issue",
    ),
    path("staff/fundraising/donors/", receipt_views.donor_list, name="donor_list"),
    path("staff/fundraising/donors/<str:kind>/<int:pk>/", receipt_views.donor_detail, name="donor_detail"),
    path(
        "staff/fundraising/donors/<str:kind>/<int:pk>/statement/",
        receipt_views.donor_statement,
        name="donor_statement",
    ),
    path(
        "staff/fundraising/donors/<str:kind>/<int:pk>/send/",
        receipt_views.donor_statement_send,
        name="donor_statement_send",
    ),
    # Staff: the annual statements and the chart-of-accounts mapping
    path("staff/fundraising/statements/", statement_views.statements, name="statements"),
    path(
        "staff/fundraising/statements/<int:year>/export.xlsx",
        statement_views.statements_export,
        name="statements_export",
    ),
    path(
        "staff/fundraising/statements/<int:year>/pdf/", statement_views.statements_pdf, name="statements_pdf"
    ),
    path("staff/fundraising/chart-of-accounts/", statement_views.chart_of_accounts, name="chart_of_accounts"),
    path(
        "staff/fundraising/chart-of-accounts/defaults/",
        statement_views.mapping_defaults,
        name="mapping_defaults",
    ),
    path("staff/fundraising/chart-of-accounts/<int:pk>/", statement_views.mapping_edit, name="mapping_edit"),
    # Organization portal
    path("o/<slug:org_slug>/finance/", views.portal_finance, name="portal_finance"),
    path(
        "o/<slug:org_slug>/finance/expenditures/new/",
        views.portal_expenditure_new,
        name="portal_expenditure_new",
    ),
    path(
        "o/<slug:org_slug>/finance/expenditures/<int:pk>/document/",
        views.portal_expenditure_document,
        name="portal_expenditure_document",
    ),
]
