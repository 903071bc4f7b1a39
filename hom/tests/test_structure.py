"""The code's shape, checked: apps import each other one way only, sub-domains are packages,
nothing is star-imported. A newcomer who adds a module in the wrong room hears it here.

The layers, lowest first (docs/architecture.md): the platform (``hom`` itself, then its apps
``hom.territories``, ``hom.accounts``, ``hom.outbox``, ``hom.submissions``, ``hom.imports``, ``hom.notifications``,
``hom.messaging``, ``hom.api`` and ``hom.pwa``, in that order), then ``migrants``, ``projects``, ``partnerships`` and
``hom.reports``. A module may import its own app and any app of a LOWER layer; what a domain app
contributes to a lower one (reminder providers, erasure hooks, navigation, report sections) it
registers on its AppConfig, and the lower app reads the AppConfigs.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest layer first. Apps in one tuple share a layer; inside the platform, the order of the tuple
# is the allowed direction too (hom.accounts may use hom.territories, not the other way round).
LAYERS = (
    ("hom.territories", "hom.accounts", "hom.outbox", "hom.submissions", "hom.imports", "hom.notifications", "hom.messaging",
     "hom.api", "hom.pwa"),
    ("migrants",),
    ("projects",),
    ("partnerships",),
    ("hom.reports",),
)
APPS = [app for layer in LAYERS for app in layer]
PLATFORM = "hom"  # settings, urls, formatting, shared helpers: below every app
# Wiring modules that must name every app: the URL root and the settings.
WIRING = {"hom.urls", "hom.settings", "hom.celery"}
SKIPPED_DIRS = {".venv", "var", "bench", "bin", "tests", "migrations", "testing", "node_modules", ".git"}


def _rank(app: str) -> tuple[int, int]:
    for layer_index, layer in enumerate(LAYERS):
        if app in layer:
            return layer_index, layer.index(app)
    raise KeyError(app)


def _app_of(module: str) -> str | None:
    for app in sorted(APPS, key=len, reverse=True):
        if module == app or module.startswith(app + "."):
            return app
    if module == PLATFORM or module.startswith(PLATFORM + "."):
        return PLATFORM
    return None


def _production_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(relative.parts[:-1]) or relative.parts[0] in SKIPPED_DIRS:
            continue
        if path.name in {"conftest.py", "manage.py"}:
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join(parts)


def _imports(path: Path, module: str):
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            yield node.lineno, target


def _app_edges():
    edges = {}
    for path, module in _production_modules():
        source = _app_of(module)
        if source is None or module in WIRING:
            continue
        for lineno, target in _imports(path, module):
            destination = _app_of(target)
            if destination and destination != source:
                edges.setdefault((source, destination), []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return edges


def test_production_modules_are_found():
    modules = {module for _, module in _production_modules()}
    assert "migrants.services" in modules
    assert "partnerships.conventions.services" in modules
    assert not any(".tests" in module or ".migrations" in module for module in modules)


def test_apps_import_each_other_one_way_only():
    edges = _app_edges()
    wrong = []
    for (source, destination), places in sorted(edges.items()):
        if source == PLATFORM:
            wrong.append(f"the platform module(s) {places} import the app {destination}")
        elif destination == PLATFORM:
            continue
        elif _rank(destination) >= _rank(source):
            wrong.append(f"{source} imports {destination} (higher or same layer) at {', '.join(places[:5])}")
    assert not wrong, "Imports against the layers of docs/architecture.md:\n" + "\n".join(wrong)


def test_no_two_apps_import_each_other():
    edges = _app_edges()
    cycles = sorted({tuple(sorted(pair)) for pair in edges if (pair[1], pair[0]) in edges})
    assert not cycles, f"Apps importing each other: {cycles}"


def test_the_layer_check_sees_a_wrong_import(tmp_path):
    """The walker itself: an upward import written in a temporary module is caught."""
    module = tmp_path / "providers.py"
    module.write_text("from projects.models import ProjectDossier\nfrom . import due\n")
    found = list(_imports(module, "hom.notifications.providers"))
    assert (1, "projects.models") in found
    assert (2, "hom.notifications") in found
    assert _rank(_app_of("projects.models")) > _rank(_app_of("hom.notifications.providers"))


# Modules named after a room with a sub-domain prefix (funding_views.py) or a suffix
# (selectors_public.py) belong in a package of their own.
ROOMS = (
    "models", "views", "forms", "services", "selectors", "urls", "admin", "filters", "demo", "tasks",
    "eligibility", "imports", "reminders", "workflows", "serializers",
)
ROOM_PATTERN = re.compile(rf"^(\w+_({'|'.join(ROOMS)})|({'|'.join(ROOMS)})_\w+)\.py$")


def test_sub_domains_are_packages():
    offenders = [
        str(path.relative_to(ROOT))
        for path, _ in _production_modules()
        if ROOM_PATTERN.match(path.name) and "templatetags" not in path.parts and "management" not in path.parts
    ]
    assert not offenders, f"Make these modules a package's rooms: {offenders}"


@pytest.mark.parametrize("pattern", [r"^\s*from\s+\S+\s+import\s+\*"])
def test_nothing_is_star_imported(pattern):
    star = re.compile(pattern, re.M)
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "var", "node_modules"}:
            continue
        if star.search(path.read_text()):
            offenders.append(str(relative))
    assert not offenders, f"Star imports: {offenders}"
