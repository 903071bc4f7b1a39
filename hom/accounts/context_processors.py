"""The navigation each role sees. Apps declare their entries on their AppConfig."""
from django.apps import apps
from django.urls import reverse


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entries = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "navigation", ()):
            if user.has_role(*entry["roles"]):
                entries.append({"label": entry["label"], "url": reverse(entry["url_name"]), "active": False})
    # The entry whose URL is the longest prefix of the current path is the active one.
    matching = [entry for entry in entries if entry["url"] != "/" and request.path.startswith(entry["url"])]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    return {"navigation": entries}
