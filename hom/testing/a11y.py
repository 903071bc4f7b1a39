"""Accessibility and phone checks for the browser tests (issue 19).

``audit(page, name)`` runs axe-core (vendored, test-only: ``hom/testing/vendor/axe.min.js``) in
the page against WCAG 2.0/2.1/2.2 A and AA and fails with every serious or critical violation
listed (rule, help, the elements). ``check_phone(page, name)`` narrows the window to a 375 px
phone, fails when the page is wider than the screen (naming the elements that stick out) and
keeps a full-page screenshot under ``test-artifacts/screens/``.

axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's strict
Content-Security-Policy does not govern: no script tag is added to the page.
"""

import re
from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""

_OVERFLOW = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      // Inside a container that scrolls sideways on purpose (.table-responsive): not an overflow.
      let scroller = el.parentElement, contained = false;
      while (scroller && scroller !== document.body) {
        const style = getComputedStyle(scroller);
        if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) { contained = true; break; }
        scroller = scroller.parentElement;
      }
      if (contained) continue;
      const id = el.id ? "#" + el.id : "";
      const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      out.push(`${el.tagName.toLowerCase()}${id}${cls} (left ${Math.round(box.left)}, right ${Math.round(box.right)})`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, out: out.slice(0, 15)};
}"""


@cache
def _axe_source():
    return AXE.read_text(encoding="utf-8")


def violations(page):
    """The serious and critical WCAG A/AA violations axe finds in the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(_RUN, TAGS)
    return [violation for violation in found if violation["impact"] in BLOCKING]


def describe(name, found):
    lines = [f"{name}: {len(found)} serious or critical accessibility violation(s)"]
    for violation in found:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}  — {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def audit(page, name):
    """Fail when axe finds a serious or critical WCAG 2.x A/AA violation in the page."""
    found = violations(page)
    assert not found, describe(name, found)


def screenshot_path(name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name).strip('-')}.png"


def check_phone(page, name, *, with_audit=False):
    """At 375×740 the page is no wider than the screen; a full-page screenshot is kept.

    ``with_audit``: axe audits the phone's layout too (the collapsed menu, the folded tables).
    """
    previous = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        page.wait_for_function("window.innerWidth === 375")
        page.screenshot(path=screenshot_path(name), full_page=True)
        measured = page.evaluate(_OVERFLOW)
        assert measured["scrollWidth"] <= measured["innerWidth"], (
            f"{name}: the page is {measured['scrollWidth']} px wide on a {measured['innerWidth']} px phone; "
            "sticking out: " + "; ".join(measured["out"] or ["(no single element found)"])
        )
        if with_audit:
            audit(page, f"{name} (375 px)")
    finally:
        if previous:
            page.set_viewport_size(previous)


def check_page(page, name):
    """Both checks of a journey's page: axe at desktop width, then the phone."""
    page.set_viewport_size(DESKTOP)
    audit(page, name)
    check_phone(page, name)
