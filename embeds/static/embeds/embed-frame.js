// Inside the embed (embeds/templates/embeds/embed_projects.html): tell the page that frames it how
// tall the content is, for embed-host.js. The embed works without it (the frame then scrolls).
"use strict";

(() => {
  if (window.parent === window) {
    return;
  }
  let last = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      // Only a height is sent, so any host may receive it.
      window.parent.postMessage({ type: "dugnad-embed:height", height }, "*");
    }
  };
  new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
})();
