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
