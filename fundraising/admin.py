"""Finance officers in the admin: funders, channels, funds, campaigns and grants are edited here; money
records are created through the services (the add form calls them) and never changed afterwards; the ledger
is read-only (no add, change or delete); approvals and reversals are actions that call services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from empowerment.admin_paging import LargeTableAdminMixin
from empowerment.uploads import clean_image, clean_new_upload

from . import selectors as books
from . import services
from .models import (
    Account,
    Allocation,
    Campaign,
    CampaignImage,
    Channel,
    Disbursement,
    Donation,
    DonationNotification,
    Expenditure,
    Fund,
    Funder,
    Grant,
    GrantTranche,
    ImportBatch,
    InKindGift,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerTransaction,
    LedgerVerification,
    NotificationConflict,
    PeriodClose,
)


class ChannelListFilter(admin.RelatedFieldListFilter):
    """The channel filter of a money list: its choices are Django's (every channel, by the channel admin's
    or the model's ordering, named by str), the channels read by a read compiled once
    (books.channel_choices) instead of the ORM's query at every page of the list."""

    def field_choices(self, field, request, model_admin):
        return books.channel_choices(self.field_admin_ordering(field, request, model_admin))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "type", "classification", "category", "in_kind"]
    list_filter = ["type", "classification", "in_kind"]
    search_fields = ["code", "name"]


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    fields = ["seq", "account", "fund", "amount", "hash"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = ["pk", "date", "kind", "memo", "reverses", "created_by"]
    list_filter = ["kind", "date"]
    search_fields = ["memo"]
    inlines = [EntryInline]
    list_select_related = ["created_by", "reverses"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = ["seq", "transaction", "account", "fund", "amount"]
    list_filter = ["account__type", "fund"]
    # Newest first, by the primary key: the index on the chain's order leaves out the entries still waiting
    # for their place, so it cannot serve an unfiltered list.
    ordering = ["-pk"]
    list_select_related = ["transaction", "account", "fund"]


@admin.register(LedgerCheckpoint)
class LedgerCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "taken_on", "seq", "hash", "total", "created_at"]
    list_filter = ["kind"]
    search_fields = ["code", "hash"]


@admin.register(LedgerVerification)
class LedgerVerificationAdmin(ReadOnlyAdmin):
    list_display = ["verified_at", "seq", "hash", "checkpoint", "seconds"]


@admin.register(PeriodClose)
class PeriodCloseAdmin(ReadOnlyAdmin):
    list_display = ["month", "closed_by", "closed_at"]


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "contact_name", "contact_phone"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_name"]

    def save_model(self, request, obj, form, change):
        services.funder_save(funder=obj)


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "code", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name_zh_hans", "name_en", "code"]


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "code", "kind", "restricted", "balance"]
    list_filter = ["kind", "restricted"]
    search_fields = ["name_zh_hans", "name_en", "code"]
    readonly_fields = ["balance"]
    autocomplete_fields = ["area"]

    def get_queryset(self, request):
        return books.with_running_balance(super().get_queryset(request))

    def has_delete_permission(self, request, obj=None):
        return False


class CampaignImageForm(forms.ModelForm):
    """A new image is re-encoded (no EXIF/GPS); a refused one is reported at the field."""

    class Meta:
        model = CampaignImage
        fields = ["campaign", "image", "caption", "position"]

    def clean_image(self):
        return clean_new_upload(self.cleaned_data.get("image"), clean_image)


class CampaignImageInline(admin.TabularInline):
    model = CampaignImage
    form = CampaignImageForm
    extra = 1


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "starts_on", "ends_on", "goal", "fund", "published"]
    list_filter = ["published"]
    search_fields = ["title_zh_hans", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [CampaignImageInline]
    autocomplete_fields = ["fund", "matching_partner"]


class MoneyRecordAdmin(SimpleHistoryAdmin):
    """Created through its service (from the add form); never changed or deleted afterwards."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def record(self, request, obj):  # pragma: no cover - overridden
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        saved = self.record(request, obj)
        obj.pk = saved.pk

    def add_view(self, request, form_url="", extra_context=None):
        # A service refusal (e.g. not enough money) rolls the whole request back and is shown as a message.
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(request.path)


@admin.register(DonationNotification)
class DonationNotificationAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    """Notifications from online platforms and what became of them; failed ones name the reason."""

    list_display = ["received_at", "channel", "external_id", "receipt_number", "amount", "status", "donation"]
    list_filter = ["status", ("channel", ChannelListFilter)]
    search_fields = ["external_id", "receipt_number"]
    list_select_related = ["channel", "donation"]
    actions = ["record_pending", "retry_failed"]
    readonly_fields = ["error"]

    @admin.action(description=_("Record the pending notifications now"), permissions=["record"])
    def record_pending(self, request, queryset):
        from . import notify  # noqa: PLC0415

        count = notify.record_pending()
        self.message_user(request, _("%(n)s notifications settled.") % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Try the selected failed notifications again"), permissions=["record"])
    def retry_failed(self, request, queryset):
        from . import notify  # noqa: PLC0415

        count = notify.notifications_retry(notifications=list(queryset), by=request.user)
        self.message_user(request, _("%(n)s notifications queued again.") % {"n": count}, messages.SUCCESS)

    def has_record_permission(self, request):
        return request.user.has_perm("fundraising.manage_money")


@admin.register(NotificationConflict)
class NotificationConflictAdmin(ReadOnlyAdmin):
    """Notifications that reused a donation id with different content: the platform got a 409; finance
    staff compare the values and settle it with the platform, then mark it reviewed."""

    list_display = [
        "received_at",
        "channel",
        "external_id",
        "differing_fields",
        "times",
        "notification",
        "reviewed_at",
    ]
    list_filter = [("reviewed_at", admin.EmptyFieldListFilter), ("channel", ChannelListFilter)]
    search_fields = ["external_id"]
    list_select_related = ["channel", "notification"]
    actions = ["mark_reviewed"]

    @admin.display(description=_("fields that differ"))
    def differing_fields(self, obj):
        return "; ".join(f"{d['field']}: {d['stored']} → {d['received']}" for d in obj.differences)

    @admin.action(description=_("Mark as reviewed"), permissions=["review"])
    def mark_reviewed(self, request, queryset):
        from . import notify  # noqa: PLC0415

        count = notify.conflicts_mark_reviewed(conflicts=list(queryset), by=request.user)
        self.message_user(request, _("%(n)s conflicts marked reviewed.") % {"n": count}, messages.SUCCESS)

    def has_review_permission(self, request):
        return request.user.has_perm("fundraising.manage_money")


@admin.register(Donation)
class DonationAdmin(LargeTableAdminMixin, MoneyRecordAdmin):
    list_display = [
        "receipt_number",
        "received_on",
        "amount",
        "channel",
        "funder",
        "fund",
        "status",
        "official_receipt",
    ]
    # A date filter rather than a date hierarchy, whose year links cost a scan of every donation.
    list_filter = ["status", "received_on", ("channel", ChannelListFilter), "funder__kind", "fund__kind"]
    search_fields = ["receipt_number", "external_id", "donor_name", "funder__name"]
    list_select_related = ["channel", "funder", "fund"]
    # What the rows show: the donation's columns and its str, the channel's, funder's and fund's names.
    list_only = (
        "receipt_number",
        "received_on",
        "amount",
        "status",
        *(
            f"{related}__name{suffix}"
            for related in ("channel", "fund")
            for suffix in ("", "_en", "_zh_hans")
        ),
        "funder__name",
    )
    readonly_fields = ["status", "ledger_transaction", "import_batch", "recorded_by", "grant_tranche"]
    autocomplete_fields = ["funder", "fund", "campaign"]
    actions = ["reverse"]

    def record(self, request, obj):
        return services.donation_record(
            channel=obj.channel,
            amount=obj.amount,
            received_on=obj.received_on,
            fund=obj.fund,
            receipt_number=obj.receipt_number,
            by=request.user,
            funder=obj.funder,
            donor_name=obj.donor_name,
            show_name=obj.show_name,
            campaign=obj.campaign,
            external_id=obj.external_id,
            note=obj.note,
        )

    def get_queryset(self, request):
        from .selectors.donors import with_receipt_issued  # noqa: PLC0415

        return with_receipt_issued(super().get_queryset(request))

    @admin.display(boolean=True, description=_("official receipt issued"))
    def official_receipt(self, obj):
        return obj.official_receipt_issued

    @admin.action(description=_("Reverse the selected donations (recorded by mistake)"))
    def reverse(self, request, queryset):
        for donation in queryset:
            try:
                services.donation_reverse(
                    donation=donation, by=request.user, reason=_("Reversed in the admin")
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, f"{donation}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR
                )


class TrancheInline(admin.TabularInline):
    model = GrantTranche
    extra = 1


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ["title", "funder", "kind", "total", "signed_on", "fund"]
    list_filter = ["kind"]
    search_fields = ["title", "reference", "funder__name"]
    inlines = [TrancheInline]
    autocomplete_fields = ["funder", "fund"]


@admin.register(GrantTranche)
class GrantTrancheAdmin(SimpleHistoryAdmin):
    list_display = ["grant", "number", "amount", "due_on", "milestone", "received"]
    list_select_related = ["grant"]
    actions = ["receive"]

    @admin.display(boolean=True, description=_("received"))
    def received(self, obj):
        return hasattr(obj, "donation")

    @admin.action(description=_("Record the selected tranches as received today"))
    def receive(self, request, queryset):
        for tranche in queryset:
            try:
                services.tranche_receive(
                    tranche=tranche,
                    receipt_number=f"GR-{tranche.grant_id}-{tranche.number}",
                    received_on=timezone.localdate(),
                    by=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request, f"{tranche}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR
                )


@admin.register(InKindGift)
class InKindGiftAdmin(MoneyRecordAdmin):
    list_display = ["received_on", "kind", "description", "value", "fund"]
    list_filter = ["kind"]
    search_fields = ["description", "giver_name"]
    readonly_fields = ["ledger_transaction", "recorded_by"]

    def record(self, request, obj):
        return services.in_kind_record(
            kind=obj.kind,
            description=obj.description,
            value=obj.value,
            basis=obj.basis,
            received_on=obj.received_on,
            fund=obj.fund,
            by=request.user,
            funder=obj.funder,
            giver_name=obj.giver_name,
            hours=obj.hours,
        )


@admin.register(Allocation)
class AllocationAdmin(MoneyRecordAdmin):
    list_display = ["allocated_on", "from_fund", "to_fund", "amount"]
    readonly_fields = ["ledger_transaction", "created_by"]

    def record(self, request, obj):
        return services.allocation_create(
            from_fund=obj.from_fund,
            to_fund=obj.to_fund,
            amount=obj.amount,
            allocated_on=obj.allocated_on,
            by=request.user,
            note=obj.note,
        )


@admin.register(Disbursement)
class DisbursementAdmin(MoneyRecordAdmin):
    list_display = ["paid_on", "project", "organization", "tranche", "amount"]
    list_select_related = ["project", "organization"]
    fields = ["project", "amount", "paid_on", "note"]

    def record(self, request, obj):
        return services.disbursement_create(
            project=obj.project, amount=obj.amount, paid_on=obj.paid_on, by=request.user, note=obj.note
        )


@admin.register(Expenditure)
class ExpenditureAdmin(LargeTableAdminMixin, SimpleHistoryAdmin):
    list_display = ["spent_on", "organization", "project", "description", "amount", "status"]
    list_filter = ["status", "spent_on", "classification", "budget_line__category"]
    search_fields = ["description", "payee", "invoice_number", "organization__name"]
    list_select_related = ["organization", "project"]
    # What the rows show: the expenditure's columns and its str, the organization's and project's names.
    list_only = (
        "spent_on",
        "description",
        "amount",
        "status",
        *(f"organization__name{suffix}" for suffix in ("", "_en", "_zh_hans")),
        *(f"project__title{suffix}" for suffix in ("", "_en", "_zh_hans")),
    )
    actions = ["approve", "reverse"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve the selected expenditures"))
    def approve(self, request, queryset):
        for expenditure in queryset:
            try:
                services.expenditure_approve(expenditure=expenditure, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    f"{expenditure}: {' '.join(getattr(exc, 'messages', [str(exc)]))}",
                    messages.ERROR,
                )

    @admin.action(description=_("Reverse the selected approved expenditures"))
    def reverse(self, request, queryset):
        for expenditure in queryset:
            try:
                services.expenditure_reverse(
                    expenditure=expenditure, by=request.user, reason=_("Reversed in the admin")
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    f"{expenditure}: {' '.join(getattr(exc, 'messages', [str(exc)]))}",
                    messages.ERROR,
                )


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "filename",
        "channel",
        "status",
        "total_rows",
        "valid_rows",
        "created_count",
        "created_at",
    ]
    list_filter = ["status", ("channel", ChannelListFilter)]
