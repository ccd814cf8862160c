"""Values derived from a dataset (indexes, labels, chart specs, the deck), made once per dataset.

They are kept beside the dataset, never on it: a `Dataset` holds the tables it was loaded with
and nothing written later. The store holds its datasets weakly, so a dataset that nobody uses
any more (an upload replaced, a session ended) takes its derived values with it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from components.dataset import Dataset

Value = TypeVar("Value")

_STORE: weakref.WeakKeyDictionary[Dataset, dict[Hashable, Any]] = weakref.WeakKeyDictionary()
# Sessions run in threads of one server: the store's dictionaries change under a lock. A value
# is built outside it (building may ask for other values), so two threads may both build one
# the first time; the first one kept wins and both return it.
_LOCK = threading.Lock()


def once(dataset: Dataset, key: Hashable, build: Callable[[], Value]) -> Value:
    """The value derived from `dataset` under `key`, built the first time it is asked for."""
    with _LOCK:
        values = _STORE.setdefault(dataset, {})
        if key in values:
            return values[key]
    value = build()
    with _LOCK:
        return _STORE.setdefault(dataset, {}).setdefault(key, value)


def known(dataset: Dataset, key: Hashable) -> Any | None:
    """The value under `key` if it was built, else None (nothing is built)."""
    with _LOCK:
        return _STORE.get(dataset, {}).get(key)


def forget(dataset: Dataset, keep: Callable[[Hashable], bool]) -> list[Any]:
    """Drops the values whose key `keep` refuses and returns them (to release what they hold)."""
    with _LOCK:
        values = _STORE.get(dataset, {})
        gone = [key for key in values if not keep(key)]
        return [values.pop(key) for key in gone]
