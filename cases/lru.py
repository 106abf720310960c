"""A least-recently-used cache bounded by the size of what it holds, not by its entries.

A count of entries says little about memory when one entry is a search matching three
cases and the next one matching 8,000 (a bitset and a ranked list of positions).
"""

import threading
from collections import OrderedDict


class SizedLRU:
    """Keeps values while their sizes (`sizeof(value)`, in bytes) add up to at most
    `budget`; the least recently used go first. A value larger than the budget is not
    kept at all. Safe to share between threads."""

    def __init__(self, budget, sizeof):
        self.budget = budget
        self.sizeof = sizeof
        self.size = 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._items)

    def __contains__(self, key):
        return key in self._items

    def get(self, key, default=None):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return default
            self._items.move_to_end(key)
            return item[0]

    def set(self, key, value):
        size = self.sizeof(value)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            if size > self.budget:
                return
            self._items[key] = (value, size)
            self.size += size
            while self.size > self.budget:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self.size -= dropped
