/* Material for MkDocs' inline content script (partials/javascripts/content.html, 9.8.2):
   open the content tab that the address's #hash names. */
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
