// Small progressive enhancements. Every page works without this file.
"use strict";

// The header's menu on small screens (a <details> disclosure, templates/includes/header.html):
// Escape closes it from anywhere inside and gives the focus back to its button. (No closing on a
// click elsewhere: the open menu pushes the page down, and closing it would move what was clicked.)
(() => {
  const menu = document.getElementById("site-menu");
  const header = menu ? menu.closest(".site-header") : null;
  if (!menu || !header) {
    return;
  }
  const toggle = menu.querySelector("summary");
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      toggle.focus();
    }
  });
})();

// The header's language menu (a <details>, templates/includes/language_switcher.html): Escape
// closes it and gives the focus back to its button; a click or the focus elsewhere closes it too,
// as a dropdown over the page is expected to.
(() => {
  const menu = document.getElementById("language-menu");
  if (!menu) {
    return;
  }
  const toggle = menu.querySelector("summary");
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      event.stopPropagation();
      menu.open = false;
      toggle.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
  menu.addEventListener("focusout", (event) => {
    if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) {
      menu.open = false;
    }
  });
})();
