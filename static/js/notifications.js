// The header's notification bell and the notification centre, kept current as things happen.
//
// Both work without this file: the bell is a link with the count from when the page was made, the
// centre's buttons are ordinary form posts. This file adds, over the person's own websocket
// ws(s)://<host>/ws/me/?after=<last applied seq> (notifications/consumers.py):
// - notification.created {seq, id, html, unread}: the badge shows `unread`; on the centre's first
//   page the item is upserted by id (new ones at the top); announced in a polite live region
//   (#notification-live), several arriving together as one message;
// - notifications.read {seq, unread}: the badge shows `unread`; with nothing unread left, every
//   item on the centre shows as read;
// - frames applied in seq order, each at most once; the connection itself (reconnecting, resuming
//   after the last applied seq, close codes) is static/js/live-socket.js; on 4409 the centre shows
//   #notification-resync (reload to catch up);
// - "Mark as read" and "Mark all as read" posted with fetch (the page stays where it is).
"use strict";

(function () {
  const bell = document.getElementById("notification-bell");
  if (!bell || !bell.dataset.wsPath) {
    return;
  }

  // Several notifications arriving together are announced as one message.
  const ANNOUNCE_GATHER_MS = 600;
  const BADGE_MAX = 99;

  const data = bell.dataset;
  const badge = document.getElementById("notification-bell-badge");
  const label = document.getElementById("notification-bell-label");
  const liveRegion = document.getElementById("notification-live");
  const list = document.getElementById("notification-list");
  const emptyNote = document.getElementById("notification-empty");
  const markAll = document.getElementById("notification-mark-all");
  const resyncNote = document.getElementById("notification-resync");

  const state = {
    lastApplied: parseInt(data.after, 10) || 0,
  };

  function message(name, params) {
    let text = data[name] || "";
    Object.entries(params || {}).forEach(([key, value]) => {
      text = text.split("%(" + key + ")s").join(String(value));
    });
    return text;
  }

  // --- The badge -----------------------------------------------------------------------------------

  function setUnread(count) {
    const unread = Math.max(0, parseInt(count, 10) || 0);
    data.unread = String(unread);
    bell.classList.toggle("notification-bell--unread", unread > 0);
    if (badge) {
      badge.textContent = unread > BADGE_MAX ? BADGE_MAX + "+" : String(unread);
      badge.hidden = unread === 0;
    }
    if (label) {
      if (unread === 0) {
        label.textContent = message("msgLabelNone");
      } else if (unread === 1) {
        label.textContent = message("msgLabelOne");
      } else {
        label.textContent = message("msgLabelMany", { number: unread });
      }
    }
    if (markAll) {
      markAll.hidden = unread === 0;
    }
  }

  // --- Announcements -------------------------------------------------------------------------------

  let sayTimer = null;
  let arrivals = [];
  let arrivalsTimer = null;

  function say(text) {
    if (!liveRegion || !text) {
      return;
    }
    // Emptied first, so the same words twice are announced twice.
    liveRegion.textContent = "";
    window.clearTimeout(sayTimer);
    sayTimer = window.setTimeout(() => {
      liveRegion.textContent = text;
    }, 50);
  }

  function announce(text) {
    arrivals.push(text);
    if (arrivalsTimer !== null) {
      return;
    }
    arrivalsTimer = window.setTimeout(() => {
      arrivalsTimer = null;
      const gathered = arrivals;
      arrivals = [];
      if (gathered.length === 1) {
        say(message("msgNewOne", { text: gathered[0] }));
      } else if (gathered.length > 1) {
        say(message("msgNewMany", { number: gathered.length }));
      }
    }, ANNOUNCE_GATHER_MS);
  }

  // --- The centre's list ---------------------------------------------------------------------------

  function csrfToken() {
    // The centre always holds the "Mark all as read" form, with its token.
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function fromHtml(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Live items come without the CSRF token (rendered once, for the socket): add the page's.
  function addToken(item) {
    item.querySelectorAll("form[method=post]").forEach((form) => {
      if (!form.querySelector("input[name=csrfmiddlewaretoken]")) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        input.value = csrfToken();
        form.prepend(input);
      }
    });
  }

  function upsertItem(html) {
    if (!list || list.dataset.liveInsert !== "true") {
      return;
    }
    const item = fromHtml(html);
    if (!item || !item.id) {
      return;
    }
    addToken(item);
    const present = document.getElementById(item.id);
    if (present) {
      present.replaceWith(item);
      return;
    }
    // Newest first: before the first item with a smaller number.
    const seq = parseInt(item.dataset.seq, 10) || 0;
    const after = Array.from(list.children).find((other) => (parseInt(other.dataset.seq, 10) || 0) < seq);
    list.insertBefore(item, after || null);
    if (emptyNote) {
      emptyNote.hidden = true;
    }
  }

  function showRead(item) {
    item.classList.remove("notification--unread");
    item.dataset.unread = "false";
    item.querySelectorAll(".notification__dot, .notification__unread-label, .notification__read-form").forEach(
      (element) => element.remove()
    );
  }

  function showAllRead() {
    if (list) {
      list.querySelectorAll(".notification[data-unread=true]").forEach(showRead);
    }
  }

  // --- Frames --------------------------------------------------------------------------------------

  function textOf(html) {
    const item = fromHtml(html);
    const link = item ? item.querySelector(".notification__text") : null;
    return link ? link.textContent.trim() : "";
  }

  function applyFrame(frame) {
    if (!frame || typeof frame.seq !== "number") {
      return;
    }
    if (frame.seq <= state.lastApplied) {
      return;
    }
    if (frame.type === "notification.created") {
      upsertItem(frame.html || "");
      const item = fromHtml(frame.html || "");
      if (item && item.dataset.unread === "true") {
        announce(textOf(frame.html || ""));
      }
    } else if (frame.type === "notifications.read") {
      if (frame.unread === 0) {
        showAllRead();
      }
    } else {
      return;
    }
    setUnread(frame.unread);
    state.lastApplied = frame.seq;
    data.after = String(frame.seq);
  }

  // --- The socket ----------------------------------------------------------------------------------

  function setConnection(value) {
    data.connection = value;
    // 4409: this page is too far out of date to catch up frame by frame; the centre offers a reload.
    if (resyncNote && value === "stale") {
      resyncNote.hidden = false;
    }
  }

  // --- Marking as read without leaving the page ----------------------------------------------------

  async function postForm(form) {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) {
      throw new Error(String(response.status));
    }
    return response.json();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    const item = form.closest(".notification");
    const isItemForm = item && form.classList.contains("notification__read-form");
    if (!isItemForm && form !== markAll) {
      return;
    }
    event.preventDefault();
    postForm(form)
      .then((answer) => {
        if (isItemForm) {
          // The focus was on the button that is about to go: keep it on the item's link.
          const link = item.querySelector(".notification__text");
          showRead(item);
          if (link) {
            link.focus();
          }
        } else {
          showAllRead();
          // The button goes away with the last unread item: the focus goes back to the heading.
          const heading = document.getElementById("notifications-heading");
          if (heading) {
            heading.focus();
          }
          say(form.dataset.msgDone || "");
        }
        setUnread(answer.unread);
      })
      .catch(() => {
        // Without an answer, the plain form post still works.
        form.submit();
      });
  });

  // The socket (static/js/live-socket.js, loaded before this file).
  window.DugnadLiveSocket.open({
    path: data.wsPath,
    after: () => state.lastApplied,
    onFrame: applyFrame,
    onState: setConnection,
  });
})();
