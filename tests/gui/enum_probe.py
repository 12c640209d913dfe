"""The opening of a fresh-process probe that records which thread makes each Python enum type (``made``:
thread names), then makes the QApplication (``app``). Qt's enum types must be made on the GUI thread only:
two threads making them at once crashed the process."""

from __future__ import annotations

import textwrap

COUNT_ENUMS = textwrap.dedent("""
    import enum, threading, time
    made = []
    create = enum.EnumType._create_
    def counted(cls, *args, **kwargs):
        made.append(threading.current_thread().name)
        return create(cls, *args, **kwargs)
    enum.EnumType._create_ = counted
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
""")
