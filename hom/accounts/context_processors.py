"""The navigation each role sees. Apps declare their entries on their AppConfig.

An entry may name a ``group`` (a lazy label): when a role sees three entries or more of the
same group, they fold into one dropdown at the place of the first, so the bar fits a laptop
and a phone's menu stays short; fewer stay plain links.
"""
from django.apps import apps
from django.urls import reverse

GROUP_MIN_ENTRIES = 3


def _menu(entries):
    sizes: dict[str, int] = {}
    for entry in entries:
        if entry["group"]:
            sizes[str(entry["group"])] = sizes.get(str(entry["group"]), 0) + 1
    menu, groups = [], {}
    for entry in entries:
        key = str(entry["group"]) if entry["group"] else None
        if key is None or sizes[key] < GROUP_MIN_ENTRIES:
            menu.append(entry)
            continue
        if key not in groups:
            groups[key] = {"label": entry["group"], "entries": [], "active": False, "is_group": True}
            menu.append(groups[key])
        groups[key]["entries"].append(entry)
        groups[key]["active"] = groups[key]["active"] or entry["active"]
    return menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "navigation_menu": []}
    entries = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "navigation", ()):
            if user.has_role(*entry["roles"]):
                entries.append(
                    {
                        "label": entry["label"],
                        "url": reverse(entry["url_name"]),
                        "active": False,
                        "group": entry.get("group"),
                    }
                )
    # The entry whose URL is the longest prefix of the current path is the active one.
    matching = [entry for entry in entries if entry["url"] != "/" and request.path.startswith(entry["url"])]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    return {"navigation": entries, "navigation_menu": _menu(entries)}
