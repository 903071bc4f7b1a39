from django.contrib import admin

from .models import Commune, Department, NeedCategory, Region, Sector


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department"]
    list_filter = ["department__region"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]


@admin.register(Sector, NeedCategory)
class LabelledReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en", "position", "is_active"]
    list_editable = ["label_fr", "label_en", "position", "is_active"]
    search_fields = ["code", "label_fr", "label_en"]
