"""The sync client (Qt-free): see :mod:`desktop.sync.client` for the protocol rules it keeps.

- :class:`~desktop.sync.client.SyncClient` — push → pull → push, conflicts, verify and repair
- :class:`~desktop.sync.transport.Transport` — HTTPS with certificate verification and a CA bundle option
- :func:`~desktop.sync.enroll.create_profile_from_server` — a new profile by signing in to the server
- :func:`~desktop.sync.status.read_status` — unsent, refused, conflicts, last successful sync
- :mod:`desktop.sync.conflicts` — open conflicts, both values, who and when
- :class:`~desktop.sync.auto.AutoSync` — sync when the server becomes reachable
"""
