"""Notices to the person: the channels they chose, their phone's verification, and the sending (docs/notices.md).

A migrant (or the staff of their office, with them) chooses how HOM may reach them: in-app
under the bell, email, SMS, WhatsApp. SMS and WhatsApp go only to a phone number the person
proved is theirs with a code. ``services.notice_send`` sends one notice to every channel chosen,
exactly once per (key, channel); the SMS and WhatsApp messages go through ``hom.messaging``.
"""
