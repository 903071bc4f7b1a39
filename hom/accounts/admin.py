from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Office, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "phone", "role", "office")


class UserChangeAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["email"]
    list_display = ["email", "phone", "first_name", "last_name", "role", "office", "is_active"]
    list_filter = ["role", "office", "is_active", "is_superuser"]
    list_select_related = ["office"]
    search_fields = ["email", "phone", "first_name", "last_name"]
    filter_horizontal = ["communes", "groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("Identity"), {"fields": ("first_name", "last_name")}),
        (_("Role and scope"), {"fields": ("role", "office", "communes")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": (
            "email", "phone", "role", "office", "usable_password", "password1", "password2",
        )}),
    )
