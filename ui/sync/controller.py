"""The GUI's handle on sync: run it on a worker, report progress, cancel, auto-sync, resolve conflicts.

Thread contract: create and call in the GUI thread. Sync, status reads and conflict resolutions run on
the :mod:`ui.tasks` worker pool; results arrive as signals in the GUI thread. The auto-sync probe runs on
its own thread (:class:`desktop.sync.auto.AutoSync`) with its own transport and only *asks* the GUI
thread (a queued signal) to start a sync.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from desktop.i18n import N_
from desktop.sync import local
from desktop.sync.auto import AutoSync
from desktop.sync.client import SyncClient, retry_refused
from desktop.sync.errors import AuthRequired
from desktop.sync.status import read_status
from desktop.sync.transport import Transport
from ui.tasks import Task, TaskControl, runner, store_watcher

TransportFactory = Callable[[], Transport]


class _CancelFlag:
    """What SyncClient checks between batches and pages: the task's cancel flag."""

    def __init__(self, control: TaskControl) -> None:
        self._control = control

    def is_set(self) -> bool:
        return self._control.cancelled


def default_transport(session: Any) -> TransportFactory:
    """A factory for the server this profile syncs with (URL and CA bundle saved in the profile)."""

    def make() -> Transport:
        url = local.get_state(session.store, "server_url")
        if not url:
            raise AuthRequired(N_("This profile is not connected to a server yet."))
        return Transport(url, ca_bundle=local.get_state(session.store, "ca_bundle"))

    return make


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    running_changed = Signal(bool)
    progress = Signal(str, int, int)  # stage, done, total
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # the exception
    _auto_fire = Signal()

    def __init__(self, session: Any, transport_factory: TransportFactory | None = None,
                 parent: QObject | None = None, *, batch_size: int | None = None) -> None:  # fmt: skip
        """``batch_size``: outbox entries per push request (the client's default when ``None``)."""
        super().__init__(parent)
        self.session = session
        self.batch_size = batch_size
        self.transport_factory = transport_factory or default_transport(session)
        self.task: Task | None = None
        self.status = read_status(session.store)
        self._auto: AutoSync | None = None
        self._auto_fire.connect(self._on_auto, Qt.ConnectionType.QueuedConnection)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.refresh_status)
        self._closed = False
        store_watcher(session).changed.connect(self._on_store_changed)

    def _on_store_changed(self, _tables: Any, _cases: Any) -> None:
        self._debounce.start()

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done

    # -- status -------------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        if self._closed:
            return  # its store may be closing: no read may outlive it
        runner().run(read_status, self.session.store, on_done=self._on_status, on_error=lambda _e: None)

    def _on_status(self, status: Any) -> None:
        self.status = status
        self.status_changed.emit(status)

    # -- sync ---------------------------------------------------------------------------------------
    def sync_now(self) -> Task | None:
        """Start a sync unless one is running; returns its task."""
        if self.running:
            return self.task
        factory, session = self.transport_factory, self.session
        options = {} if self.batch_size is None else {"batch_size": self.batch_size}

        def work(control: TaskControl) -> Any:
            transport = factory()
            try:
                client = SyncClient.for_session(session, transport, **options)
                return client.sync(progress=lambda stage, done, total: control.progress(done, total, stage),
                                   cancel=_CancelFlag(control))  # fmt: skip
            finally:
                transport.close()

        self.task = runner().run(work, control=True, on_done=self._on_done, on_error=self._on_error,
                                 on_progress=self._on_progress)  # fmt: skip
        self.running_changed.emit(True)
        return self.task

    def _on_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.emit(stage, done, total)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_done(self, report: Any) -> None:
        self.running_changed.emit(False)
        self.finished.emit(report)
        self.refresh_status()

    def _on_error(self, exc: BaseException) -> None:
        self.running_changed.emit(False)
        self.failed.emit(exc)
        self.refresh_status()

    # -- conflicts ----------------------------------------------------------------------------------
    def resolve(self, conflict_id: str, choice: str, value: Any = None, note: str | None = None, *,
                on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[BaseException], None] | None = None) -> Task:  # fmt: skip
        factory, session = self.transport_factory, self.session

        def work() -> Any:
            transport = factory()
            try:
                return SyncClient.for_session(session, transport).resolve(conflict_id, choice, value, note)
            finally:
                transport.close()

        def done(answer: Any) -> None:
            self.refresh_status()
            if on_done:
                on_done(answer)

        return runner().run(work, on_done=done, on_error=on_error)

    def retry_refused(self, on_done: Callable[[Any], None] | None = None) -> Task:
        """Put refused entries back in the queue (they go with the next sync)."""

        def done(n: int) -> None:
            self.refresh_status()
            if on_done:
                on_done(n)

        return runner().run(retry_refused, self.session.store, self.session.user.id, on_done=done)

    # -- automatic sync -----------------------------------------------------------------------------
    def start_auto(self, interval: float = 30.0) -> None:
        """Probe the server every ``interval`` seconds; sync when it becomes reachable, or while it is
        reachable and changes wait to be sent."""
        if self._auto is not None:
            return
        factory, store = self.transport_factory, self.session.store
        probe_transport: list[Transport] = []

        def probe() -> bool:
            if not probe_transport:
                probe_transport.append(factory())
            probe_transport[0].health()
            return True

        def wanted() -> bool:
            return read_status(store).unsent > 0

        self._auto = AutoSync(probe, self._auto_fire.emit, wanted=wanted, interval=interval).start()

    def stop_auto(self) -> None:
        if self._auto is not None:
            self._auto.stop()
            self._auto = None

    @Slot()
    def _on_auto(self) -> None:
        self.sync_now()

    def close(self) -> None:
        """Stop syncing and reading the status (before the store closes; running work finishes on its
        worker: wait for it with ``runner().wait_idle()``)."""
        self._closed = True
        self._debounce.stop()
        self.stop_auto()
        self.cancel()


def is_linked(session: Any) -> bool:
    """Whether this profile was ever connected to a server (a profile made offline never was)."""
    return bool(local.get_state(session.store, "server_url"))


_controllers: dict[int, SyncController] = {}


def controller_for(session: Any) -> SyncController:
    """The one controller of ``session``'s store (GUI thread)."""
    key = id(session.store)
    if key not in _controllers:
        _controllers[key] = SyncController(session)
    return _controllers[key]


def forget_controller(session: Any) -> None:
    ctl = _controllers.pop(id(session.store), None)
    if ctl is not None:
        ctl.close()
        ctl.deleteLater()
