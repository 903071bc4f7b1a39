from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.conventions.models import (
    Contribution,
    Convention,
    ConventionBudgetLine,
    ConventionParty,
    ConventionTransition,
    ReportingObligation,
    ReportItem,
)

from .models import Introduction, Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "city", "is_published"]
    list_filter = ["kind", "country", "is_published"]
    search_fields = ["name", "acronym", "city"]
    filter_horizontal = ["communes_served", "departments_served", "sectors", "partner_users"]


@admin.register(Introduction)
class IntroductionAdmin(SimpleHistoryAdmin):
    list_display = ["migrant", "organisation", "status", "introduced_on", "follow_up_on"]
    list_filter = ["status"]
    raw_id_fields = ["migrant", "dossier", "organisation", "introduced_by"]


# --- Conventions: the admin reads and corrects; status moves and reports go through the pages' services.


class ConventionPartyInline(admin.TabularInline):
    model = ConventionParty
    extra = 0
    raw_id_fields = ["organisation"]
    fields = ["organisation", "role", "responsibilities", "signatory_name", "signatory_title", "signed_on", "position"]


class ConventionBudgetLineInline(admin.TabularInline):
    model = ConventionBudgetLine
    extra = 0
    fields = ["activity", "amount", "position"]


class ConventionTransitionInline(admin.TabularInline):
    model = ConventionTransition
    extra = 0
    can_delete = False
    fields = ["from_status", "to_status", "actor", "comment", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Convention)
class ConventionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "office", "status", "starts_on", "ends_on"]
    list_filter = ["office", "status"]
    search_fields = ["title"]
    # The status moves only through convention_move, which keeps each transition.
    readonly_fields = ["status", "status_changed_on", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["advisor", "dossiers", "introductions"]
    filter_horizontal = ["communes"]
    inlines = [ConventionPartyInline, ConventionBudgetLineInline, ConventionTransitionInline]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["budget_line", "party", "kind", "committed", "paid", "paid_recorded_on"]
    list_filter = ["kind"]
    raw_id_fields = ["budget_line", "party"]


@admin.register(ReportingObligation)
class ReportingObligationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "convention", "party", "periodicity", "first_due_on", "last_due_on"]
    list_filter = ["periodicity"]
    raw_id_fields = ["convention", "party"]


@admin.register(ReportItem)
class ReportItemAdmin(SimpleHistoryAdmin):
    list_display = ["obligation", "party", "due_on", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["obligation", "convention", "party", "submitted_by", "accepted_by"]
    readonly_fields = ["file", "original_name", "content_type", "size"]
