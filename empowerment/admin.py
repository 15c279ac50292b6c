"""Admin for accounts, generated documents and outgoing email."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from empowerment.documents.services import document_retry
from empowerment.mail import email_retry

from .models import Document, Email, User


class PlatformUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class PlatformUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    form = PlatformUserChangeForm
    add_form = PlatformUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("full_name", "phone", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ("groups",)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "status", "attempts", "created_at", "finished_at", "link"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["title", "verification_code", "sha256"]
    readonly_fields = [f.name for f in Document._meta.fields] + ["link"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status page"))
    def link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("document_detail", args=[obj.pk]), _("open"))

    @admin.action(description=_("Render the failed documents again"), permissions=["view"])
    def retry(self, request, queryset):
        n = 0
        for document in queryset.filter(status=Document.Status.FAILED):
            document_retry(document=document, user=request.user)
            n += 1
        self.message_user(request, _("%(n)d documents were queued again.") % {"n": n}, messages.SUCCESS)


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """What was sent, what waits and what failed, with the reason. The body is not shown: it may carry a
    personal link (an invitation, a follower's confirmation)."""

    list_display = ["to", "subject", "language", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject", "key"]
    fields = ["to", "subject", "language", "key", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    date_hierarchy = "created_at"
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the failed emails again"), permissions=["view"])
    def retry(self, request, queryset):
        n = 0
        for email in queryset.filter(status=Email.Status.FAILED):
            email_retry(email=email)
            n += 1
        self.message_user(request, _("%(n)d emails were queued again.") % {"n": n}, messages.SUCCESS)
