"""The per-process LRU of tenant applications; they all share the process's one pool."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from services.application import TenantApplication


class TenantApps:
    def __init__(self, build: Callable[[str], TenantApplication], maxsize: int = 64) -> None:
        self._build = build
        self._maxsize = maxsize
        self._apps: OrderedDict[str, TenantApplication] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, slug: str) -> TenantApplication:
        with self._lock:
            app = self._apps.get(slug)
            if app is not None:
                self._apps.move_to_end(slug)
                return app
        app = self._build(slug)  # outside the lock: building reads type info from the database
        with self._lock:
            app = self._apps.setdefault(slug, app)
            self._apps.move_to_end(slug)
            while len(self._apps) > self._maxsize:
                self._apps.popitem(last=False)
            return app

    def forget(self, slug: str) -> None:
        with self._lock:
            self._apps.pop(slug, None)

    def __len__(self) -> int:
        return len(self._apps)
