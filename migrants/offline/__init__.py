"""Offline capture: records entered on a device without a network and sent later (docs/offline.md).

The device keeps an outbox (static/js/outbox-core.js); each record carries a client id (a UUID
drawn on the device) and the time it was entered. The API's write endpoints take both; this
package keeps the ledger of client ids received, so that a record sent twice is created once, and
the review of offline registrations that look like a person already registered.
"""
