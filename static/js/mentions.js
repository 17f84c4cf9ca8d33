// @mention autocomplete for the comment box (discussions/templates/discussions/includes/comment_form.html).
//
// Without this file mentions work as typed: "@Kari Nordmann" or '@"Kari Nordmann"' (see
// discussions/rendering.py). With it, typing "@" and a few letters lists the people in the thread
// (display names from the form's data-mentions-url, never addresses) under the box. The box stays
// a plain textarea, named by its label; it gets aria-autocomplete="list", aria-controls (the
// listbox) and aria-activedescendant (the highlighted option), so a screen reader follows the
// choice while the focus never leaves the box. Down/Up move, Enter or Tab chooses, Escape closes;
// the number of suggestions is announced in the form's polite status region.
"use strict";

(function () {
  const DEBOUNCE_MS = 150;
  const MAX_QUERY = 40;
  const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

  for (const form of document.querySelectorAll("form[data-mentions-url]")) {
    setUp(form);
  }

  function setUp(form) {
    const box = form.querySelector("textarea[name=body]");
    const list = form.querySelector("[data-mention-list]");
    const status = form.querySelector("[data-mention-status]");
    if (!box || !list || !status) {
      return;
    }
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);

    let names = [];
    let active = -1;
    let range = null;
    let timer = null;
    let asked = 0;
    // The @ of a mention just chosen: no more suggestions for it until it is edited away.
    let chosenAt = -1;

    function mentionAtCaret() {
      const caret = box.selectionStart;
      if (caret !== box.selectionEnd) {
        return null;
      }
      const before = box.value.slice(0, caret);
      const at = before.lastIndexOf("@");
      if (at === -1 || (at > 0 && LETTER_OR_DIGIT.test(before[at - 1]))) {
        return null; // no @, or an e-mail address
      }
      let typed = before.slice(at + 1);
      if (typed.startsWith('"')) {
        typed = typed.slice(1);
      }
      if (typed.length > MAX_QUERY || /[\n"@]/.test(typed) || typed.split(" ").length > 3) {
        return null;
      }
      return { start: at, end: caret, query: typed };
    }

    function close() {
      clearTimeout(timer);
      asked += 1; // answers still on their way are dropped
      names = [];
      active = -1;
      list.hidden = true;
      list.replaceChildren();
      box.removeAttribute("aria-activedescendant");
    }

    function announce(count) {
      if (count === 0) {
        status.textContent = "";
        return;
      }
      const template = count === 1 ? form.dataset.msgMentionOne : form.dataset.msgMentionMany;
      status.textContent = template.replace("%(count)s", String(count));
    }

    function highlight(index) {
      active = index;
      list.querySelectorAll("[role=option]").forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", `${list.id}-${index}`);
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      names = found;
      list.replaceChildren();
      found.forEach(function (name, i) {
        const option = document.createElement("li");
        option.id = `${list.id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "mention-suggestions__option";
        option.textContent = name;
        // Keep the focus (and the caret) in the box when an option is clicked.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        option.addEventListener("click", function () {
          choose(i);
        });
        list.append(option);
      });
      list.hidden = found.length === 0;
      highlight(found.length ? 0 : -1);
      announce(found.length);
    }

    function choose(index) {
      const name = names[index];
      if (name === undefined || range === null) {
        return;
      }
      const inserted = `@${name} `;
      box.value = box.value.slice(0, range.start) + inserted + box.value.slice(range.end);
      const caret = range.start + inserted.length;
      box.setSelectionRange(caret, caret);
      chosenAt = range.start;
      close();
      status.textContent = "";
      box.focus();
    }

    function ask(mention) {
      const asking = ++asked;
      const url = `${form.dataset.mentionsUrl}?q=${encodeURIComponent(mention.query)}`;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { participants: [] };
        })
        .then(function (answer) {
          if (asking !== asked) {
            return; // the person typed on; a newer question is on its way
          }
          show((answer.participants || []).map((person) => person.name));
        })
        .catch(function () {
          if (asking === asked) {
            close();
          }
        });
    }

    box.addEventListener("input", function () {
      const mention = mentionAtCaret();
      if (mention && mention.start !== chosenAt) {
        chosenAt = -1;
      }
      if (!mention || mention.start === chosenAt) {
        close();
        return;
      }
      range = mention;
      clearTimeout(timer);
      timer = setTimeout(function () {
        ask(mention);
      }, DEBOUNCE_MS);
    });

    box.addEventListener("keydown", function (event) {
      if (list.hidden || names.length === 0) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + names.length) % names.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0 && !event.shiftKey) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    box.addEventListener("blur", close);
    form.addEventListener("submit", close);
  }
})();
