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
  // A file larger than the portal accepts is refused here, before it is sent, so the
  // applicant keeps what the form holds. The server refuses it too (413).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      checkFileSize(input);
    });
  });
});

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toLocaleString("da-DK", { maximumFractionDigits: 1 });
}

function checkFileSize(input) {
  var limit = parseInt(input.dataset.maxBytes, 10);
  var group = input.closest(".form-group") || input.parentNode;
  var message = group.querySelector(".js-file-size-error");
  var total = 0;
  Array.prototype.forEach.call(input.files || [], function (file) {
    total += file.size;
  });
  if (!limit || total <= limit) {
    if (message) {
      message.remove();
      group.classList.remove("form-error");
    }
    return;
  }
  if (!message) {
    message = document.createElement("span");
    message.className = "form-error-message js-file-size-error";
    message.id = input.id + "-size-error";
    message.setAttribute("role", "alert");
    input.parentNode.insertBefore(message, input);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(message.id) === -1) {
      described.push(message.id);
      input.setAttribute("aria-describedby", described.join(" "));
    }
  }
  message.textContent =
    "Filen fylder " + megabytes(total) + " MB og er for stor: bilaget må højst fylde " +
    megabytes(limit) + " MB. Vælg en mindre fil. Det, du har skrevet, er ikke sendt og " +
    "står stadig i formularen.";
  group.classList.add("form-error");
  input.value = "";
}
