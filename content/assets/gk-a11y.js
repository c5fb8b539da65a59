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
})();
