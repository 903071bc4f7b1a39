"""Writes of the reports app: the commune profile that the ARD keeps."""
from django.db import transaction

from projects.uploads import check_upload

from .models import CommuneProfile


@transaction.atomic
def commune_profile_update(
    *, commune, actor, narrative: str, development_plan=None, remove_plan: bool = False
) -> CommuneProfile:
    """Save the presentation of ``commune`` and, when given, its local development plan (checked by content)."""
    profile, _created = CommuneProfile.objects.select_for_update().get_or_create(commune=commune)
    profile.narrative = narrative
    profile.updated_by = actor
    if remove_plan and profile.development_plan:
        profile.development_plan.delete(save=False)
        profile.plan_extension = profile.plan_content_type = ""
    if development_plan is not None:
        checked = check_upload(development_plan)
        if profile.development_plan:
            profile.development_plan.delete(save=False)
        profile.plan_extension, profile.plan_content_type = checked.extension, checked.content_type
        profile.development_plan.save(development_plan.name, development_plan, save=False)
    profile.full_clean()
    profile.save()
    return profile
