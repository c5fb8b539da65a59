/* Material for MkDocs' inline head script (partials/javascripts/base.html, 9.8.2),
   as a file: storage helpers keyed on the site's scope, which the template passes
   in data-gk-scope. Loaded synchronously in <head>, before the theme bundle. */
var __md_scope = new URL(document.currentScript.getAttribute("data-gk-scope"), location),
  __md_hash = function (e) { return [...e].reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0); },
  __md_get = function (e, _ = localStorage, t = __md_scope) { return JSON.parse(_.getItem(t.pathname + "." + e)); },
  __md_set = function (e, _, t = localStorage, a = __md_scope) {
    try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (err) { /* storage full or disabled */ }
  };
