"""``python -m tests.bench``: the page benchmark (``tests.bench.run``); with ``--live``, the websocket
delivery benchmark instead (``tests.bench.live``); with ``--digests``, the digest e-mail benchmark
(``tests.bench.digests``); with ``--national-full``, every page type at the national data set's size
(``tests.bench.national_full``); with ``--comment-post``, a comment POST with and without followers
(``tests.bench.comment_post``); with ``--dashboard``, a hub's dashboard with 5,000 projects and 100,000
comments (``tests.bench.dashboard``); with ``--national``, search and the projects API at 100,000
projects (``tests.bench.national``); with ``--members``, every page type for logged-in members
(``tests.bench.members``); with ``--soak``, everything at once for ``--minutes`` with errors,
latencies and every process's memory (``tests.bench.soak``)."""

import sys

argv = sys.argv[1:]
if "--live" in argv:
    argv.remove("--live")
    from tests.bench.live import main
elif "--digests" in argv:
    argv.remove("--digests")
    from tests.bench.digests import main
elif "--national-full" in argv:
    argv.remove("--national-full")
    from tests.bench.national_full import main
elif "--national" in argv:
    argv.remove("--national")
    from tests.bench.national import main
elif "--comment-post" in argv:
    argv.remove("--comment-post")
    from tests.bench.comment_post import main
elif "--soak" in argv:
    argv.remove("--soak")
    from tests.bench.soak import main
elif "--members" in argv:
    argv.remove("--members")
    from tests.bench.members import main
elif "--dashboard" in argv:
    argv.remove("--dashboard")
    from tests.bench.dashboard import main
else:
    from tests.bench.run import main

    if "-h" in argv or "--help" in argv:
        print("With --live: the websocket delivery benchmark instead (python -m tests.bench --live --help).")
        print("With --digests: the digest e-mail benchmark instead (python -m tests.bench --digests --help).")
        print("With --national-full: every page type at 356 hubs and 2,000,000 comments (--national-full --help).")
        print("With --national: search and the projects API at 100,000 projects (--national --help).")
        print("With --comment-post: a comment POST with 0 and 10,000 followers (--comment-post --help).")
        print("With --dashboard: a hub's dashboard with 5,000 projects and 100,000 comments (--dashboard --help).")
        print("With --members: every page type for a logged-in citizen and coordinator (--members --help).")
        print("With --soak: readers, commenters, sockets, uploads and the worker at once (--soak --help).\n")

sys.exit(main(argv))
