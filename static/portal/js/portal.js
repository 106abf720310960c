// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  // On a phone the long filter panel starts folded, so the results come first.
  // Without JavaScript it simply stays open.
  if (window.matchMedia("(max-width: 991px)").matches) {
    document.querySelectorAll("details[data-collapse-on-small]").forEach(function (details) {
      details.removeAttribute("open");
    });
  }
});
