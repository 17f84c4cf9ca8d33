// Small progressive enhancements. Every page works without this file.
"use strict";

// The header's menu on small screens (a <details> disclosure, templates/includes/header.html):
// Escape closes it from anywhere inside and gives the focus back to its button, and a click outside
// the header closes it, as people expect of a menu.
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
  document.addEventListener("click", (event) => {
    if (menu.open && !header.contains(event.target)) {
      menu.open = false;
    }
  });
})();
