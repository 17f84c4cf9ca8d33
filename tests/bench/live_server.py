"""One uvicorn server process for the websocket benchmark, optionally under cProfile.

``python -m tests.bench.live_server APP PORT [--profile FILE]`` serves ``APP`` on 127.0.0.1:PORT
the way ``uvicorn APP`` would from the command line (uvloop, httptools, uvicorn's default
websocket implementation websockets-sansio; no access log, no lifespan), in this very process, so
that the benchmark reads the server's CPU time and memory from ``/proc/<pid>``.

With ``--profile FILE`` the event loop runs under cProfile, and so does every call that asgiref
runs in a worker thread (sync views, ``database_sync_to_async``), each thread with a profiler of its
own. SIGUSR1 starts a new phase; when the server stops (SIGTERM) the statistics of phase N are
written to ``FILE.N.loop`` and ``FILE.N.threads``.
"""

import argparse
import cProfile
import pstats
import resource
import signal
import threading

import uvicorn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.live_server")
    parser.add_argument("app")
    parser.add_argument("port", type=int)
    parser.add_argument("--profile", help="write cProfile statistics of the event loop here")
    parser.add_argument("--no-ws-deflate", action="store_true", help="refuse permessage-deflate")
    args = parser.parse_args(argv)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    config = uvicorn.Config(
        args.app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        ws="auto",  # websockets-sansio, as `uvicorn` picks it in production
        ws_per_message_deflate=not args.no_ws_deflate,
        lifespan="off",
        access_log=False,
        log_level="warning",
        backlog=4096,
    )
    server = uvicorn.Server(config)
    if not args.profile:
        server.run()
        return
    profiles = _Profiles(args.profile)
    # uvicorn handles SIGTERM, shuts down, then raises the signal again with the handler it found:
    # make that handler end the process through the ``finally`` below rather than at once.
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGUSR1, profiles.next_phase)
    profiles.start()
    try:
        server.run()
    finally:
        profiles.dump()


class _Profiles:
    """A cProfile profiler for the event loop and one per worker thread, per phase."""

    def __init__(self, path: str):
        self.path = path
        self.loop = [cProfile.Profile()]
        self.threads: list[dict[int, cProfile.Profile]] = [{}]
        self.depth = threading.local()

    def start(self) -> None:
        from asgiref.sync import SyncToAsync

        original = SyncToAsync.thread_handler
        profiles = self

        def thread_handler(self, *args, **kwargs):
            depth = getattr(profiles.depth, "value", 0)
            phase = profiles.threads[-1]
            profiler = phase.setdefault(threading.get_ident(), cProfile.Profile())
            profiles.depth.value = depth + 1
            if depth == 0:
                profiler.enable()
            try:
                return original(self, *args, **kwargs)
            finally:
                profiles.depth.value = depth
                if depth == 0:
                    profiler.disable()

        SyncToAsync.thread_handler = thread_handler
        self.loop[-1].enable()

    def next_phase(self, signum=None, frame=None) -> None:
        self.loop[-1].disable()
        self.loop.append(cProfile.Profile())
        self.threads.append({})
        self.loop[-1].enable()

    def dump(self) -> None:
        self.loop[-1].disable()
        for phase, (loop, threads) in enumerate(zip(self.loop, self.threads, strict=True)):
            loop.dump_stats(f"{self.path}.{phase}.loop")
            if threads:
                pstats.Stats(*threads.values()).dump_stats(f"{self.path}.{phase}.threads")


def _exit(signum, frame):
    raise SystemExit(0)


if __name__ == "__main__":
    main()
