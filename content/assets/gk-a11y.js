/* 适老化 reading settings: text size (标准/大/特大) and high contrast.
   Loaded at the top of <body> so the saved setting applies before the page
   paints; kept in localStorage so it holds on every page of the site. No
   pop-ups: the buttons in the header change the page in place. */
(function () {
  var KEY = "gk-a11y", html = document.documentElement, state = {size: "", contrast: false};
  try { state = Object.assign(state, JSON.parse(localStorage.getItem(KEY) || "{}")); } catch (e) {}
  function apply() {
    html.classList.remove("gk-size-l", "gk-size-xl");
    if (state.size === "l" || state.size === "xl") html.classList.add("gk-size-" + state.size);
    html.classList.toggle("gk-contrast", !!state.contrast);
    var buttons = document.querySelectorAll("[data-gk-size]");
    for (var i = 0; i < buttons.length; i++)
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-gk-size") === (state.size || "")));
    var c = document.querySelector("[data-gk-contrast]");
    if (c) c.setAttribute("aria-pressed", String(!!state.contrast));
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) {}
    apply();
  }
  apply();
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-gk-size],[data-gk-contrast]");
    if (!b) return;
    if (b.hasAttribute("data-gk-size")) state.size = b.getAttribute("data-gk-size");
    else state.contrast = !state.contrast;
    save();
  });
  document.addEventListener("DOMContentLoaded", apply);
  // Material's drawer and search toggles carry no autocomplete="off" here (invalid on a
  // checkbox, generator/mkdocs_markup.py): a page restored from the back-forward cache
  // opens with them closed all the same.
  window.addEventListener("pageshow", function () {
    var toggles = document.querySelectorAll("input.md-toggle");
    for (var i = 0; i < toggles.length; i++) toggles[i].checked = false;
  });

  /* A box that scrolls sideways (a wide table on a phone or in large text) must be
     reachable by keyboard to be scrolled (WCAG 2.1.1): it gets a tab stop and a name
     while it overflows, and loses them when it fits again. */
  var SCROLLERS = ".md-content .md-typeset__scrollwrap, .md-content .gk-table, .md-content pre > code";
  function markScrollers() {
    var boxes = document.querySelectorAll(SCROLLERS);
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i], ours = box.hasAttribute("data-gk-scroll");
      var overflows = box.scrollWidth > box.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(box).overflowX);
      if (overflows && !ours && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-gk-scroll", "");
        if (!box.hasAttribute("role") && box.tagName !== "CODE") {
          var cap = box.querySelector("caption");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (cap ? cap.textContent.trim() + "（" : "表格（") + "可左右滚动）");
        }
      } else if (!overflows && ours) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-gk-scroll");
        if (box.getAttribute("role") === "region") { box.removeAttribute("role"); box.removeAttribute("aria-label"); }
      }
    }
  }
  var pending = 0;
  function later() { cancelAnimationFrame(pending); pending = requestAnimationFrame(markScrollers); }
  window.addEventListener("load", markScrollers);
  window.addEventListener("resize", later);
  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("[data-gk-size]")) later();
  });
})();
