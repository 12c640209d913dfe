"""Diogel: offline-first bilingual casework for care and support protection plans (Qt-free core)."""

__version__ = "0.1.0"
