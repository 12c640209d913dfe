"""The encrypted local store: SQLCipher through sqlite-utils, one writer thread, audit and outbox."""

from desktop.store.store import Store
from desktop.store.tx import Tx

__all__ = ["Store", "Tx"]
