"""Move the dossier notifications of ``projects.Notification`` (removed next) into this app's.

One row per ``projects.DossierTransition``: key ``projects.transition:<pk>``, kind
``dossier_moved``, the message as title, the dossier's page as link, read and emailed
dates and creation date kept. Reversible: the way back copies them again.
"""
from django.db import migrations

DOSSIER_MOVED = "dossier_moved"
KEY_PREFIX = "projects.transition:"


def forward(apps, schema_editor):
    Old = apps.get_model("projects", "Notification")
    New = apps.get_model("notifications", "Notification")
    already = set(New.objects.filter(kind=DOSSIER_MOVED).values_list("recipient_id", "object_key"))
    for old in Old.objects.select_related("transition").order_by("pk").iterator():
        key = f"{KEY_PREFIX}{old.transition_id}"
        if (old.recipient_id, key) in already:
            continue
        new = New.objects.create(
            recipient_id=old.recipient_id,
            kind=DOSSIER_MOVED,
            title=old.message[:300],
            # The dossier's page (projects:detail), written out: a migration must not depend on URL names.
            url=f"/projects/{old.transition.dossier_id}/",
            object_key=key,
            read_at=old.read_at,
            emailed_at=old.emailed_at,
        )
        New.objects.filter(pk=new.pk).update(created_at=old.created_at)  # auto_now_add set it to now


def backward(apps, schema_editor):
    Old = apps.get_model("projects", "Notification")
    New = apps.get_model("notifications", "Notification")
    Transition = apps.get_model("projects", "DossierTransition")
    rows = list(New.objects.filter(kind=DOSSIER_MOVED, object_key__startswith=KEY_PREFIX))
    existing = set(Transition.objects.filter(
        pk__in=[int(row.object_key.removeprefix(KEY_PREFIX)) for row in rows]
    ).values_list("pk", flat=True))
    for row in rows:
        transition_id = int(row.object_key.removeprefix(KEY_PREFIX))
        if transition_id not in existing or Old.objects.filter(transition_id=transition_id).exists():
            continue
        old = Old.objects.create(
            recipient_id=row.recipient_id, transition_id=transition_id, message=row.title,
            read_at=row.read_at, emailed_at=row.emailed_at,
        )
        Old.objects.filter(pk=old.pk).update(created_at=row.created_at)
    New.objects.filter(pk__in=[row.pk for row in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_dossier_moved_notifications"),
        ("projects", "0006_funding_application"),
    ]

    operations = [migrations.RunPython(forward, backward)]
