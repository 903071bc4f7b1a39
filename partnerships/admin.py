from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
