// "Kopiér link" on a case page (cases/includes/share_links.html). The button is hidden
// until this script shows it; without JavaScript (or a clipboard) the link itself can be
// selected and copied.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("button[data-copy-link]").forEach(function (button) {
    var link = document.getElementById(button.dataset.copyLink);
    var status = document.getElementById(button.dataset.copiedMessage);
    if (!link) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () {
          status.textContent = "Linket er kopieret.";
        },
        function () {
          status.textContent = "Linket kunne ikke kopieres. Markér linket ovenfor, og kopiér det.";
        }
      );
    });
  });
});
