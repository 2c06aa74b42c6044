"""Notices out of the outbox: message templates, channels, and delivery through Apprise."""
