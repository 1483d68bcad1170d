"""``kaoping serve --workers N`` (N > 1): N HTTP worker processes and one projector process.

The parent does the start-up work once (database, operator token, upgrade, demo tenant) and
hands the database URL and the operator token to its children in their environment. uvicorn
binds the socket, spawns the workers, and restarts one that dies; each worker builds its app
with ``worker_app``. Its projector only listens: reads that wait for their own writes hear
``kaoping_projected`` from the projector process. That one is spawned and watched here:
restarted if it dies, stopped (SIGTERM) after the workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import threading
from multiprocessing.process import BaseProcess

import structlog
import uvicorn
from litestar import Litestar
from uvicorn.supervisors import Multiprocess

from adapters.bootstrap import build_container
from adapters.container import Container
from adapters.http.app import create_app
from adapters.logging import configure_logging
from adapters.settings import Settings

log = structlog.get_logger("kaoping")
WORKER_APP = "adapters.workers:worker_app"


def _from_parent() -> tuple[Settings, str, str]:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    if not (settings.database_url and settings.operator_token):
        raise RuntimeError("a worker's database URL and operator token come from its parent")
    return settings, settings.database_url, settings.operator_token


def worker_app() -> Litestar:
    """uvicorn's factory, called once in each worker process."""
    settings, url, token = _from_parent()
    container = build_container(settings, url, token, project=False,
                                application_name=f"kaoping-api {os.getpid()}")
    return create_app(container, manage_lifecycle=True)


def serve_workers(settings: Settings) -> None:
    """Run ``settings.workers`` HTTP worker processes on one socket until SIGINT/SIGTERM
    (what ``uvicorn.run(..., workers=N)`` does, but over a socket that says it is TCP)."""
    config = uvicorn.Config(
        WORKER_APP, factory=True, workers=settings.workers, host=settings.host,
        port=settings.port, log_config=None, access_log=False,
        # A worker starts (imports, builds its app) in seconds on a loaded machine: a health
        # check that waited only uvicorn's default 5 s killed it, again and again.
        timeout_worker_healthcheck=60)
    bound = config.bind_socket()
    # uvicorn binds with proto 0; accepted sockets inherit it, and asyncio sets TCP_NODELAY
    # only on IPPROTO_TCP ones: every keep-alive answer then waited ~40 ms for a delayed ACK
    # (measured here; uvicorn issue #3149). Say what the socket is.
    tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[tcp]).run()


def run_projector(container: Container, parent: int | None = None) -> None:
    """Project until SIGTERM or Ctrl-C (``kaoping projector``, and the projector process:
    that one also stops if its ``parent`` process is gone)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    container.projector.start()
    log.info("projector_started")
    try:
        while not stop.wait(1.0):
            if parent is not None and os.getppid() != parent:
                log.warning("projector_parent_gone")
                break
    except KeyboardInterrupt:
        pass
    finally:
        container.close()


def _projector_process(parent: int) -> None:
    # Ctrl-C reaches every process of the terminal: this one stops when the parent says so,
    # after the workers, rather than be restarted by the parent meanwhile.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    settings, url, token = _from_parent()
    run_projector(build_container(settings, url, token,
                                  application_name=f"kaoping-projector {os.getpid()}"), parent)


class ProjectorProcess:
    """The one projector process, kept running until ``stop``."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")  # no fork of a pool's threads
        self._stopping = threading.Event()
        self._process: BaseProcess | None = None
        self._watcher = threading.Thread(target=self._watch, name="kaoping-projector-watch",
                                         daemon=True)

    def start(self) -> None:
        self._spawn()
        self._watcher.start()

    def _spawn(self) -> None:
        self._process = self._context.Process(target=_projector_process, args=(os.getpid(),),
                                              name="kaoping-projector")
        self._process.start()

    def _watch(self) -> None:
        while not self._stopping.is_set():
            assert self._process is not None
            self._process.join(timeout=0.5)
            if self._process.exitcode is not None and not self._stopping.is_set():
                log.error("projector_process_died", child=self._process.pid,
                          exitcode=self._process.exitcode)
                self._stopping.wait(1.0)  # not in a tight loop if it dies at once
                if not self._stopping.is_set():
                    self._spawn()

    def stop(self) -> None:
        self._stopping.set()
        self._watcher.join(timeout=5)
        process = self._process
        if process is not None and process.is_alive():
            process.terminate()  # SIGTERM: it closes its connections and exits
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
