// The one websocket client of the site's live sockets: a thread's (/ws/threads/<id>/, used by
// discussion.js) and a person's own (/ws/me/, used by notifications.js). docs/live-protocol.md is
// the contract; this file does the connection, the page does the frames.
//
// window.DugnadLiveSocket.open({path, after, onFrame, onState}) connects to
// ws(s)://<this host><path>?after=<after()> and:
// - hands every JSON frame to onFrame(frame) (error frames too; pongs are kept to itself). The page
//   applies each event at most once, in seq order, and keeps what after() returns up to date;
// - pings every 25 s (proxies drop idle connections);
// - reconnects after a close with exponential backoff and full jitter (anywhere between nothing and
//   1 s × 2^attempt, at most 30 s, so that a restarted server is not met by every browser at the
//   same instant), resuming with `after` set to the last applied number; a connection that stayed
//   up 5 s was healthy and the next failure starts the backoff afresh; "online" reconnects at once;
// - closes on "pagehide" (an open socket keeps a page out of the back/forward cache) and resumes
//   on a "pageshow" from that cache;
// - tells the page where it stands: onState("connecting" | "live" | "offline" | "stale" | "closed").
//
// Close codes, as the servers send them (discussions/consumers.py, notifications/consumers.py,
// discussions/fanout.py, hub/websocket_limits.py):
// - 4400 bad request (`after` malformed), 4401 not logged in (/ws/me/), 4403 not allowed,
//   4404 no such thread: retrying the same request cannot help: stop for good, "closed".
// - 4409 resync: `after` is beyond the latest change, or further behind than the server replays.
//   Both servers mean the same by it: the page cannot be brought up to date frame by frame and
//   must be reloaded. Reconnecting would send the same `after` and get 4409 again, so: stop for
//   good, "stale" (the page offers a reload: #discussion-stale, #notification-resync).
// - 4429 too many open sockets from this address or session (one more than the cap is accepted and
//   closed at once): a slot frees when another tab closes, so reconnect, with backoff; the attempt
//   count keeps growing because such a socket never stays up long enough to count as healthy.
// - 1011 the server cannot follow right now, 1013 the client fell too far behind, 1001/1006/1012
//   and the rest (restarts, dropped networks): reconnect with backoff.
"use strict";

window.DugnadLiveSocket =
  window.DugnadLiveSocket ||
  (function () {
    const BACKOFF_BASE_MS = 1000;
    const BACKOFF_CAP_MS = 30000;
    const STABLE_MS = 5000;
    const PING_MS = 25000;
    const FINAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4404]);
    const RESYNC_CLOSE_CODE = 4409;

    function open(options) {
      const after = options.after;
      const onFrame = options.onFrame || function () {};
      const onState = options.onState || function () {};
      const state = {
        socket: null,
        timer: null,
        pingTimer: null,
        attempt: 0,
        openedAt: 0,
        stopped: false,
        paused: false,
      };

      function stopPing() {
        window.clearInterval(state.pingTimer);
        state.pingTimer = null;
      }

      function scheduleReconnect() {
        if (state.timer !== null || state.stopped || state.paused) {
          return;
        }
        const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** state.attempt);
        state.attempt += 1;
        state.timer = window.setTimeout(() => {
          state.timer = null;
          connect();
        }, Math.random() * ceiling);
      }

      function connect() {
        if (state.stopped || state.paused || state.socket || !("WebSocket" in window)) {
          return;
        }
        const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
        const url = scheme + "//" + window.location.host + options.path + "?after=" + after();
        let socket;
        try {
          socket = new WebSocket(url);
        } catch {
          scheduleReconnect();
          return;
        }
        state.socket = socket;
        onState("connecting");
        socket.addEventListener("open", () => {
          state.openedAt = Date.now();
          onState("live");
          stopPing();
          state.pingTimer = window.setInterval(() => {
            if (socket.readyState === WebSocket.OPEN) {
              socket.send(JSON.stringify({ type: "ping" }));
            }
          }, PING_MS);
        });
        socket.addEventListener("message", (event) => {
          let frame;
          try {
            frame = JSON.parse(event.data);
          } catch {
            return;
          }
          if (!frame || typeof frame !== "object" || frame.type === "pong") {
            return;
          }
          onFrame(frame);
        });
        socket.addEventListener("close", (event) => {
          stopPing();
          if (state.socket === socket) {
            state.socket = null;
          }
          if (FINAL_CLOSE_CODES.has(event.code) || event.code === RESYNC_CLOSE_CODE) {
            state.stopped = true;
            onState(event.code === RESYNC_CLOSE_CODE ? "stale" : "closed");
            return;
          }
          if (state.openedAt && Date.now() - state.openedAt >= STABLE_MS) {
            state.attempt = 0;
          }
          state.openedAt = 0;
          onState("offline");
          scheduleReconnect();
        });
      }

      function reconnectNow() {
        if (state.socket || state.stopped || state.paused) {
          return;
        }
        window.clearTimeout(state.timer);
        state.timer = null;
        connect();
      }

      window.addEventListener("online", reconnectNow);
      window.addEventListener("pagehide", () => {
        state.paused = true;
        window.clearTimeout(state.timer);
        state.timer = null;
        if (state.socket) {
          state.socket.close(1000);
        }
      });
      window.addEventListener("pageshow", (event) => {
        if (event.persisted) {
          state.paused = false;
          reconnectNow();
        }
      });

      connect();
      return { reconnectNow: reconnectNow };
    }

    return Object.freeze({ open: open });
  })();
