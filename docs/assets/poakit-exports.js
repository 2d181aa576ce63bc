/* poakit case pages: the copy buttons.
 *
 * Each button (data-poa-copy="letter" or a section key) copies one string of the JSON in
 * <script id="poa-copy-text">: the text export exactly as `poa render --format text` prints
 * it, never the page's HTML. Buttons stay hidden until this script wires them. The async
 * Clipboard API needs a secure context (https or localhost); elsewhere, or if it is refused,
 * a selected off-screen textarea and execCommand("copy") do the job.
 */
(function () {
  "use strict";

  var DONE_MS = 2000;

  function copyTexts() {
    var element = document.getElementById("poa-copy-text");
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithSelection(text);
      });
    }
    return copyWithSelection(text);
  }

  function announce(button, message) {
    var label = button.getAttribute("data-poa-label");
    button.textContent = message;
    window.setTimeout(function () {
      button.textContent = label;
    }, DONE_MS);
  }

  function wire(root) {
    var texts = copyTexts();
    if (!texts) return;
    root.querySelectorAll("button[data-poa-copy]").forEach(function (button) {
      var text = texts[button.getAttribute("data-poa-copy")];
      if (typeof text !== "string" || button.hasAttribute("data-poa-wired")) return;
      button.setAttribute("data-poa-wired", "");
      button.setAttribute("data-poa-label", button.textContent);
      button.addEventListener("click", function () {
        copy(text).then(
          function () { announce(button, "Copied"); },
          function () { announce(button, "Copy failed: select the text instead"); }
        );
      });
      button.hidden = false;
    });
  }

  // Material's instant navigation swaps pages without a load event: follow its document$.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { wire(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { wire(document); });
  } else {
    wire(document);
  }
})();
