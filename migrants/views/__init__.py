"""Views of the registry: thin. Scope with selectors, validate with forms, write with services."""
from .imports import import_detail, import_list, import_progress, import_start
from .person import my_data, my_data_page, my_erasure_request, my_profile, sign_up, sign_up_confirm, sign_up_token
from .registry import (
    access_log,
    consent_form,
    duplicate_check,
    follow_ups,
    link_request_decide,
    migrant_create,
    migrant_data_export,
    migrant_data_page,
    migrant_detail,
    migrant_edit,
    migrant_erase,
    migrant_export_csv,
    migrant_export_xlsx,
    migrant_list,
    migrant_merge,
    retention_dry_run,
    visit_create,
    visit_follow_up_done,
    walk_in_create,
)
from .visits import visit_edit, visit_remove

__all__ = [
    "access_log", "consent_form", "duplicate_check", "follow_ups", "import_detail", "import_list", "import_progress",
    "import_start", "link_request_decide", "migrant_create", "migrant_data_export", "migrant_data_page",
    "migrant_detail", "migrant_edit", "migrant_erase", "migrant_export_csv", "migrant_export_xlsx", "migrant_list",
    "migrant_merge", "my_data", "my_data_page", "my_erasure_request", "my_profile", "retention_dry_run", "sign_up",
    "sign_up_confirm", "sign_up_token", "visit_create", "visit_edit", "visit_follow_up_done", "visit_remove",
    "walk_in_create",
]
