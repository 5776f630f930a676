"""Email through GOV.UK Notify: the outbox, sending, delivery receipts, the catalogue of emails and their templates.

It imports nothing of the report process: a caller names what an email is about (`subject`, any model instance) and
the event that caused it (`event`, a key of the caller's own), and decides who gets which email.
"""
