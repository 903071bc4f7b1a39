from django.contrib import admin

from .models import CommuneProfile


@admin.register(CommuneProfile)
class CommuneProfileAdmin(admin.ModelAdmin):
    list_display = ["commune", "updated_by", "updated_at"]
    search_fields = ["commune__name", "commune__code"]
    raw_id_fields = ["commune"]
    # The plan is uploaded through the profile page, whose service checks its content.
    readonly_fields = ["development_plan", "plan_extension", "plan_content_type", "updated_by"]
