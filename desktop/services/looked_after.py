"""The ``looked_after`` "My work" provider's import name (listed in
:data:`desktop.services.my_work.DEFAULT_PROVIDERS`); the code is in :mod:`desktop.services.children`."""

from __future__ import annotations

import desktop.services.children  # noqa: F401 - registers the provider
