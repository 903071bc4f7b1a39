"""HOM as an installable web app: the manifest, the service worker at the site's root, the offline page.

Which pages the service worker keeps for use without a network is declared by the apps
(``offline_pages`` on their AppConfig: URL names, for staff of an office); this package imports
none of them. The outbox that saves forms on the device is static/js/offline.js with
static/js/outbox-core.js (docs/offline.md).
"""
