from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hom.reports"
    label = "reports"
    verbose_name = _("Reports")
    # Its endpoints under /api/v1/ (hom.api includes this module; docs/api.md).
    api_urls = "hom.reports.api.urls"
    # Role keys as strings: models cannot be imported while app configs load.
    navigation = ({"label": _("Reports"), "url_name": "reports:index", "roles": {"admin", "advisor", "authority"}},)

    # Counts only (migrants.personal_data): the summaries point at a person to count them once.
    personal_data = {
        "models": ("reports.VisitMonth", "reports.VisitNeedMonth"),
        # The summaries follow a merge (the survivor's record key) and an erasure (personal_data.py).
        "merge": "hom.reports.personal_data.merge_persons",
        "erase": "hom.reports.personal_data.erase_person",
        "not_personal": {"reports.CommuneProfile": "written by staff about a commune"},
    }

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

        from migrants.models import Visit

        from . import signals

        post_init.connect(signals.visit_loaded, sender=Visit, dispatch_uid="reports_visit_loaded")
        post_save.connect(signals.visit_saved, sender=Visit, dispatch_uid="reports_visit_saved")
        post_delete.connect(signals.visit_deleted, sender=Visit, dispatch_uid="reports_visit_deleted")
        m2m_changed.connect(signals.visit_needs_changed, sender=Visit.needs.through, dispatch_uid="reports_visit_needs")
