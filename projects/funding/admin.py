"""The catalogue in the Django admin. Derived columns are refreshed by the same service as the app."""
from django.contrib import admin

from projects.funding.forms import FundingOpportunityAdminForm
from projects.funding.models import FundingOpportunity
from projects.funding.services import funding_opportunity_refresh


@admin.register(FundingOpportunity)
class FundingOpportunityAdmin(admin.ModelAdmin):
    form = FundingOpportunityAdminForm
    list_display = [
        "name",
        "funder_name",
        "status",
        "deadline",
        "is_rolling",
        "amount_min_xof",
        "amount_max_xof",
        "last_verified_on",
    ]
    list_filter = ["status", "types", "target_groups", "currency"]
    search_fields = ["name", "funder_name", "keywords"]
    filter_horizontal = ["eligible_communes"]
    readonly_fields = ["amount_min_xof", "amount_max_xof", "created_at", "updated_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        funding_opportunity_refresh(opportunity_ids=[form.instance.pk])
