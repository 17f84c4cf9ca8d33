// Live discussion threads: posting without a reload, and applying what others do as it happens.
//
// The thread block (#discussion, discussions/templates/discussions/includes/thread_block.html)
// works without this file: comments are ordinary form posts, controls are links to pages of their
// own. This file adds, following docs/live-protocol.md:
// - posting with fetch (Accept: application/json), errors shown beside the box, the box cleared
//   only after the comment was taken;
// - the websocket ws(s)://<host>/ws/threads/<id>/?after=<last applied seq>: frames applied in seq
//   order, each at most once, comments upserted by id (replies under their parent); the connection
//   itself (reconnecting, resuming after the last applied seq, close codes) is static/js/live-socket.js;
//   on 4409 the page shows #discussion-stale (reload to catch up);
// - per-viewer controls revealed from data attributes (the server renders live html once for all);
// - new comments by others announced in a polite live region (#discussion-live), and a
//   "n new comments" button when they arrive out of view, instead of a jump.
// Nothing that arrives moves, clears or takes the focus from the comment box.
"use strict";

(function () {
  const block = document.getElementById("discussion");
  if (!block || !block.dataset.threadId) {
    return;
  }

  // Several comments arriving together are announced as one message.
  const ANNOUNCE_GATHER_MS = 600;
  const HIGHLIGHT_MS = 4000;
  // As long as selectors.comment_excerpt (Django's Truncator.chars counts the ellipsis).
  const QUOTE_LENGTH = 140;

  const data = block.dataset;
  const state = {
    lastApplied: Number(data.lastSeq) || 0,
    userId: data.userId || "",
    locked: data.locked === "true",
    canCommentOpen: data.canCommentOpen === "true",
    canCommentLocked: data.canCommentLocked === "true",
    canModerate: data.canModerate === "true",
    everConnected: false,
  };

  const list = document.getElementById("comment-list");
  const empty = document.getElementById("discussion-empty");
  const liveRegion = document.getElementById("discussion-live");
  const marker = document.getElementById("discussion-new-marker");
  const connection = document.getElementById("discussion-connection");
  const stale = document.getElementById("discussion-stale");
  const form = document.getElementById("comment-form");
  const textarea = form ? form.elements.namedItem("body") : null;
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  // We keep the reader's place ourselves (preservingPosition); the browser's own scroll anchoring
  // would sometimes adjust a second time.
  document.documentElement.classList.add("has-live-discussion");

  function message(name, params) {
    let text = data[name] || "";
    Object.entries(params || {}).forEach(([key, value]) => {
      text = text.split("%(" + key + ")s").join(String(value));
    });
    return text;
  }

  function canComment() {
    return state.locked ? state.canCommentLocked : state.canCommentOpen;
  }

  // --- Announcements ------------------------------------------------------------------------------

  let sayTimer = null;

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

  let arrivals = [];
  let arrivalsTimer = null;

  function announceArrival(article) {
    arrivals.push(article.dataset.authorName || "");
    if (arrivalsTimer === null) {
      arrivalsTimer = window.setTimeout(() => {
        arrivalsTimer = null;
        const names = arrivals;
        arrivals = [];
        say(
          names.length === 1
            ? message("msgNewOne", { name: names[0] })
            : message("msgNewMany", { count: names.length }),
        );
      }, ANNOUNCE_GATHER_MS);
    }
  }

  // --- "n new comments" ---------------------------------------------------------------------------

  const unseen = new Set();
  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          (entries) => {
            entries.forEach((entry) => {
              if (entry.isIntersecting) {
                markSeen(entry.target);
              }
            });
          },
          { threshold: 0.1 },
        )
      : null;

  function inView(element) {
    const rect = element.getBoundingClientRect();
    return rect.height > 0 && rect.bottom > 0 && rect.top < window.innerHeight;
  }

  function markSeen(article) {
    if (observer) {
      observer.unobserve(article);
    }
    if (unseen.delete(article)) {
      updateMarker();
    }
    window.setTimeout(() => article.classList.remove("is-new"), HIGHLIGHT_MS);
  }

  function trackArrival(article) {
    article.classList.add("is-new");
    if (!observer || inView(article)) {
      window.setTimeout(() => article.classList.remove("is-new"), HIGHLIGHT_MS);
      return;
    }
    unseen.add(article);
    observer.observe(article);
    updateMarker();
  }

  function replaceTracked(oldArticle, newArticle) {
    if (unseen.delete(oldArticle)) {
      if (observer) {
        observer.unobserve(oldArticle);
      }
      newArticle.classList.add("is-new");
      unseen.add(newArticle);
      if (observer) {
        observer.observe(newArticle);
      }
    }
  }

  function updateMarker() {
    if (!marker) {
      return;
    }
    for (const article of unseen) {
      if (!article.isConnected) {
        unseen.delete(article);
      }
    }
    const count = unseen.size;
    marker.hidden = count === 0;
    marker.textContent =
      count === 1 ? message("msgMarkerOne") : message("msgMarkerMany", { count: count });
  }

  if (marker) {
    marker.addEventListener("click", () => {
      const first = Array.from(unseen).sort((a, b) =>
        a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
      )[0];
      if (!first) {
        updateMarker();
        return;
      }
      first.scrollIntoView({ behavior: reducedMotion.matches ? "auto" : "smooth", block: "center" });
      first.focus({ preventScroll: true });
      markSeen(first);
    });
  }

  // --- Keeping the reader's place ----------------------------------------------------------------

  // The element that must not move on screen: the comment box when it is in use or in view, else
  // the first comment that starts inside the window. Content inserted above it scrolls the page by
  // as much; content inserted below it moves nothing.
  function pickAnchor(exclude) {
    if (textarea && !textarea.closest("[hidden]")) {
      if (document.activeElement === textarea || inView(textarea)) {
        return textarea;
      }
    }
    const compose = document.getElementById("discussion-compose");
    if (compose && inView(compose)) {
      return compose;
    }
    for (const article of block.querySelectorAll("article.comment")) {
      if (article === exclude) {
        continue;
      }
      const rect = article.getBoundingClientRect();
      if (rect.top >= 0 && rect.top < window.innerHeight) {
        return article;
      }
    }
    return null;
  }

  function preservingPosition(change, exclude) {
    const anchor = pickAnchor(exclude);
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor && anchor.isConnected) {
      const delta = anchor.getBoundingClientRect().top - before;
      if (Math.abs(delta) >= 1) {
        window.scrollBy(0, delta);
      }
    }
  }

  // --- Comments ------------------------------------------------------------------------------------

  function fromHtml(html) {
    const template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    return template.content.firstElementChild;
  }

  function applyControls(article) {
    const commentState = article.dataset.state;
    const visible = commentState === "visible";
    const own = state.userId !== "" && article.dataset.author === state.userId;
    const mayComment = canComment();
    // The same rules as discussions.permissions (and selectors.Viewer.controls).
    const allowed = {
      reply: mayComment && visible,
      edit: own && visible && mayComment,
      delete: own && commentState !== "deleted",
      report: state.userId !== "" && !own && visible,
      hide: state.canModerate && visible,
      unhide: state.canModerate && commentState === "hidden",
    };
    const actions = article.querySelector(":scope > .comment__actions");
    if (!actions) {
      return;
    }
    let any = false;
    actions.querySelectorAll("[data-control]").forEach((item) => {
      const on = Boolean(allowed[item.dataset.control]);
      item.hidden = !on;
      any = any || on;
    });
    actions.hidden = !any;
  }

  function insertSorted(container, item, id, key) {
    for (const child of container.children) {
      if (Number(child.dataset[key]) > id) {
        container.insertBefore(item, child);
        return;
      }
    }
    container.appendChild(item);
  }

  function threadItem(id) {
    let item = list.querySelector(':scope > li[data-thread-of="' + id + '"]');
    if (!item) {
      // Its top-level comment may come later in a replay (an edit gives it a later seq).
      item = document.createElement("li");
      item.className = "comment-thread";
      item.dataset.threadOf = String(id);
      insertSorted(list, item, id, "threadOf");
    }
    return item;
  }

  function insertComment(article, parentId) {
    const id = Number(article.dataset.commentId);
    if (!parentId) {
      threadItem(id).prepend(article);
    } else {
      const parentArticle = document.getElementById("comment-" + parentId);
      const parentItem =
        (parentArticle && parentArticle.closest("li.comment-thread")) || threadItem(Number(parentId));
      let replies = parentItem.querySelector(":scope > ol.comment-replies");
      if (!replies) {
        replies = document.createElement("ol");
        replies.className = "comment-replies";
        replies.dataset.repliesOf = parentItem.dataset.threadOf;
        parentItem.appendChild(replies);
      }
      const item = document.createElement("li");
      item.className = "comment-reply";
      item.dataset.replyId = String(id);
      item.appendChild(article);
      insertSorted(replies, item, id, "replyId");
    }
    if (empty) {
      empty.hidden = true;
    }
  }

  function excerpt(text) {
    const plain = text.split(/\s+/).filter(Boolean).join(" ");
    return plain.length > QUOTE_LENGTH ? plain.slice(0, QUOTE_LENGTH - 1) + "…" : plain;
  }

  // The quotes above replies follow their parent: blanked when it is hidden or deleted, rewritten
  // when it is edited or shown again.
  function updateQuotesOf(article) {
    const id = article.dataset.commentId;
    const quotes = block.querySelectorAll('blockquote[data-quote-of="' + id + '"]');
    if (!quotes.length) {
      return;
    }
    const body = article.querySelector(".comment__body");
    quotes.forEach((quote) => {
      if (article.dataset.state !== "visible" || !body) {
        const removed = document.createElement("p");
        removed.className = "comment__quote-removed";
        removed.textContent = message("msgQuoteRemoved");
        quote.replaceChildren(removed);
        return;
      }
      const meta = document.createElement("p");
      meta.className = "comment__quote-meta";
      const link = document.createElement("a");
      link.className = "ds-link";
      link.href = "#comment-" + id;
      link.textContent = article.dataset.authorName || "";
      meta.append(message("msgQuoteMeta") + " ", link, ":");
      const text = document.createElement("p");
      text.className = "comment__quote-text";
      text.textContent = excerpt(body.textContent || "");
      quote.replaceChildren(meta, text);
    });
  }

  // Put a comment's current state in place. ``announce``: it arrived live (not our own post).
  function applyComment(frame, announce) {
    const article = fromHtml(frame.html);
    if (!article || !article.classList.contains("comment")) {
      return;
    }
    // Controls first: everything that changes the layout happens inside preservingPosition.
    applyControls(article);
    const existing = document.getElementById("comment-" + frame.id);
    if (existing && existing.closest("#discussion") === block) {
      if (Number(existing.dataset.seq) > Number(frame.seq)) {
        return;
      }
      const focusedControl =
        existing.contains(document.activeElement) && document.activeElement.closest("[data-control]");
      preservingPosition(() => {
        existing.replaceWith(article);
        updateQuotesOf(article);
      }, existing);
      replaceTracked(existing, article);
      if (focusedControl) {
        const again = article.querySelector(
          '[data-control="' + focusedControl.dataset.control + '"]:not([hidden]) a',
        );
        (again || article).focus({ preventScroll: true });
      }
      return;
    }
    preservingPosition(() => {
      insertComment(article, frame.parent);
      updateQuotesOf(article);
    });
    const ownComment = state.userId !== "" && article.dataset.author === state.userId;
    if (announce && !ownComment && article.dataset.state === "visible") {
      announceArrival(article);
      trackArrival(article);
    }
  }

  // --- Locked and open ---------------------------------------------------------------------------

  function setLocked(locked) {
    state.locked = locked;
    data.locked = String(locked);
    const box = document.getElementById("discussion-form");
    if (box && textarea) {
      const submit = form.querySelector('[type="submit"]');
      if (canComment()) {
        box.hidden = false;
        textarea.readOnly = false;
        submit.disabled = false;
      } else if (textarea.value.trim()) {
        // Their words stay where they are, to copy; they cannot be sent now.
        box.hidden = false;
        textarea.readOnly = true;
        submit.disabled = true;
      } else {
        box.hidden = true;
      }
    }
    block.querySelectorAll("[data-when-open]").forEach((element) => {
      element.hidden = locked;
    });
    const lock = block.querySelector('[data-control="lock"]');
    const unlock = block.querySelector('[data-control="unlock"]');
    if (lock) {
      lock.hidden = locked;
    }
    if (unlock) {
      unlock.hidden = !locked;
    }
  }

  function applyThreadState(frame) {
    const notice = fromHtml(frame.html);
    const holder = document.getElementById("discussion-state");
    if (holder && notice) {
      preservingPosition(() => holder.replaceChildren(notice));
    }
    const locked = notice ? notice.dataset.locked === "true" : frame.type === "thread.locked";
    if (locked !== state.locked) {
      preservingPosition(() => {
        setLocked(locked);
        block.querySelectorAll("article.comment").forEach(applyControls);
      });
      say(message(locked ? "msgLocked" : "msgUnlocked"));
    }
  }

  // --- Frames --------------------------------------------------------------------------------------

  function applyFrame(frame) {
    if (!frame || typeof frame !== "object" || typeof frame.type !== "string") {
      return;
    }
    if (frame.type === "error") {
      // A close follows (4403, 4404) for errors that end the connection.
      return;
    }
    if (typeof frame.seq !== "number" || frame.seq <= state.lastApplied) {
      return;
    }
    if (frame.type.indexOf("comment.") === 0) {
      applyComment(frame, frame.type === "comment.created");
    } else if (frame.type === "thread.locked" || frame.type === "thread.unlocked") {
      applyThreadState(frame);
    }
    state.lastApplied = frame.seq;
    data.lastSeq = String(frame.seq);
  }

  // --- The socket ----------------------------------------------------------------------------------

  function setConnection(value) {
    data.connection = value;
    if (value === "live") {
      state.everConnected = true;
    }
    if (connection) {
      connection.hidden = !(value === "offline" && state.everConnected);
    }
    if (stale) {
      stale.hidden = value !== "stale";
    }
  }

  // The notice's link names this page with #discussion: followed as a link it would only scroll.
  if (stale) {
    stale.addEventListener("click", (event) => {
      if (event.target.closest("a")) {
        event.preventDefault();
        window.location.reload();
      }
    });
  }

  // --- Posting --------------------------------------------------------------------------------------

  function errorBox() {
    let box = document.getElementById("id_body_error");
    if (!box) {
      box = document.createElement("div");
      box.id = "id_body_error";
      textarea.insertAdjacentElement("afterend", box);
    }
    return box;
  }

  function describedBy(add) {
    const ids = (textarea.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const others = ids.filter((id) => id !== "id_body_error");
    if (add) {
      others.push("id_body_error");
    }
    if (others.length) {
      textarea.setAttribute("aria-describedby", others.join(" "));
    } else {
      textarea.removeAttribute("aria-describedby");
    }
  }

  function showError(text) {
    const line = document.createElement("p");
    line.className = "ds-validation-message";
    line.dataset.field = "validation";
    line.textContent = text;
    errorBox().replaceChildren(line);
    textarea.setAttribute("aria-invalid", "true");
    describedBy(true);
    say(message("msgNotSent") + " " + text);
  }

  function clearError() {
    const box = document.getElementById("id_body_error");
    if (box) {
      box.replaceChildren();
    }
    textarea.removeAttribute("aria-invalid");
    describedBy(false);
    const summary = form.querySelector(".ds-error-summary");
    if (summary) {
      summary.remove();
    }
  }

  function firstError(errors) {
    if (!errors || typeof errors !== "object") {
      return "";
    }
    for (const key of ["body", "reply_to", "__all__"].concat(Object.keys(errors))) {
      if (Array.isArray(errors[key]) && errors[key].length) {
        return errors[key][0];
      }
    }
    return "";
  }

  const replying = document.getElementById("comment-form-replying");
  const replyingText = document.getElementById("comment-form-replying-text");
  const cancelReplyButton = document.getElementById("comment-form-cancel-reply");

  function startReply(article) {
    const field = form.elements.namedItem("reply_to");
    if (!field) {
      return;
    }
    field.value = article.dataset.commentId;
    if (replyingText) {
      replyingText.textContent = message("msgReplying", { name: article.dataset.authorName || "" });
    }
    if (replying) {
      replying.hidden = false;
    }
    textarea.focus();
  }

  function cancelReply() {
    const field = form.elements.namedItem("reply_to");
    if (field) {
      field.value = "";
    }
    if (replying) {
      replying.hidden = true;
    }
  }

  if (form && textarea) {
    let sending = false;

    block.addEventListener("click", (event) => {
      const link = event.target.closest('a[data-action="reply"]');
      if (!link || !canComment() || form.closest("[hidden]")) {
        return;
      }
      const article = link.closest("article.comment");
      if (article) {
        event.preventDefault();
        startReply(article);
      }
    });

    if (cancelReplyButton) {
      cancelReplyButton.addEventListener("click", () => {
        cancelReply();
        textarea.focus();
      });
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending || textarea.readOnly) {
        return;
      }
      const posted = textarea.value;
      const token = form.elements.namedItem("csrfmiddlewaretoken");
      sending = true;
      form.classList.add("is-sending");
      form.setAttribute("aria-busy", "true");
      let response;
      let body = {};
      try {
        response = await fetch(form.action, {
          method: "POST",
          headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
          body: new URLSearchParams(new FormData(form)),
          credentials: "same-origin",
        });
        body = await response.json().catch(() => ({}));
      } catch {
        response = null;
      } finally {
        sending = false;
        form.classList.remove("is-sending");
        form.removeAttribute("aria-busy");
      }
      if (!response) {
        showError(message("msgNetwork"));
        return;
      }
      if (response.status === 201) {
        clearError();
        if (body.html) {
          applyComment({ id: body.id, seq: body.seq, parent: body.parent, html: body.html }, false);
        }
        // Only what was sent is cleared: anything typed meanwhile stays.
        if (textarea.value === posted) {
          textarea.value = "";
        }
        cancelReply();
        say(message("msgPosted"));
        return;
      }
      showError(body.error || firstError(body.errors) || message("msgNetwork"));
    });
  }

  // The socket (static/js/live-socket.js, loaded before this file): connecting, resuming after the
  // last applied number, and when to stop are the same for every live socket of the site.
  window.DugnadLiveSocket.open({
    path: data.wsPath,
    after: () => state.lastApplied,
    onFrame: applyFrame,
    onState: setConnection,
  });
})();
