// The "Share / embed" dialog (embeds/templates/embeds/includes/share_dialog.html) and the share
// page. Without this file the button is a link to the share page, whose form reloads it with the
// chosen options and whose code is in a read-only text area to select and copy.
"use strict";

(() => {
  // Open the dialog instead of following the link; <dialog> keeps the focus inside and closes on Escape.
  for (const opener of document.querySelectorAll("[data-embed-dialog]")) {
    const dialog = document.getElementById(opener.dataset.embedDialog);
    if (!dialog || typeof dialog.showModal !== "function") {
      continue;
    }
    opener.setAttribute("role", "button");
    opener.addEventListener("click", (event) => {
      event.preventDefault();
      dialog.showModal();
    });
    opener.addEventListener("keydown", (event) => {
      if (event.key === " ") {
        event.preventDefault();
        dialog.showModal();
      }
    });
    dialog.addEventListener("close", () => opener.focus());
  }

  for (const form of document.querySelectorAll("[data-embed-options]")) {
    const panel = form.parentElement;
    const code = panel.querySelector("[data-embed-code]");
    const copy = panel.querySelector("[data-embed-copy]");
    const copied = panel.querySelector("[data-embed-copied]");
    const preview = panel.querySelector("[data-embed-preview]");
    const json = panel.querySelector("[data-embed-json]");
    const update = form.querySelector("[data-embed-update]");
    if (!code) {
      continue;
    }
    // The options change the code at once, so the update button is only needed without this script.
    if (update) {
      update.hidden = true;
    }
    let latest = 0;
    form.addEventListener("change", async () => {
      const query = new URLSearchParams(new FormData(form));
      const request = ++latest;
      const response = await fetch(`${form.dataset.snippetUrl}?${query}`, { credentials: "omit" });
      if (!response.ok || request !== latest) {
        return;
      }
      code.value = await response.text();
      copied.textContent = "";
      const params = new URLSearchParams();
      if (query.get("goal")) {
        params.set("goal", query.get("goal"));
      }
      params.set("lang", query.get("lang"));
      for (const link of [preview, json]) {
        if (link) {
          const url = new URL(link.href);
          url.search = params.toString();
          link.href = url.toString();
        }
      }
    });
    form.addEventListener("submit", (event) => event.preventDefault());

    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(code.value);
          copied.textContent = copy.dataset.done;
        } catch {
          code.focus();
          code.select();
        }
      });
    }
  }
})();
