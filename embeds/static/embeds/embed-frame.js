// Inside the embed (embeds/templates/embeds/embed_projects.html): tell the page that frames it how
// tall the content is, for embed-host.js. The embed works without it (the frame then scrolls).
"use strict";

(() => {
  if (window.parent === window) {
    return;
  }
  const main = document.querySelector("main");
  if (!main) {
    return;
  }
  let last = 0;
  // The content's own height: the body is at least as tall as the frame (min-height: 100vh).
  const report = () => {
    const height = Math.ceil(main.getBoundingClientRect().bottom + window.scrollY);
    if (height !== last) {
      last = height;
      // Only a height is sent, so any host may receive it.
      window.parent.postMessage({ type: "dugnad-embed:height", height }, "*");
    }
  };
  new ResizeObserver(report).observe(main);
  window.addEventListener("load", report);
})();
