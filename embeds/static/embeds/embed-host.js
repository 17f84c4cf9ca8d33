// Optional, on the website that embeds Dugnad (the snippet's <script> line): fit each
// <iframe data-dugnad-embed> to the height its page reports (embed-frame.js), so it never scrolls
// inside. Messages are accepted only from the Dugnad site this script came from.
(function () {
  "use strict";
  if (window.dugnadEmbedHost) {
    return;
  }
  window.dugnadEmbedHost = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src, window.location.href).origin : null;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "dugnad-embed:height") {
      return;
    }
    var height = Number(data.height);
    if (!(height > 0 && height < 20000)) {
      return;
    }
    var frames = document.querySelectorAll("iframe[data-dugnad-embed]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = height + "px";
      }
    }
  });
})();
