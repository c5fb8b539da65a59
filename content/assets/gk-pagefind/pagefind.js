/* What the search page's Pagefind UI loads in place of pagefind/pagefind.js (the UI imports
   "<bundlePath>pagefind.js"; content/assets/gk-search.js points it here): the same functions
   of the same module, each called once the page has loaded every index bundle and all their
   filters (window.gkSearchReady). The UI starts at once, so its first search's wait (300 ms)
   runs while the index loads, not after it: first result at 10,000 pages, median of 5 runs
   taken in turn (benchmarks/search_transfer.py, 2026-12-08), 766 ms; 975 ms with the UI
   started after the loading; 874 ms before either, when the filters could go missing. */
import * as pagefind from "../../pagefind/pagefind.js";

function once(name) {
  return function () {
    var args = arguments;
    return (window.gkSearchReady || Promise.resolve()).then(function () {
      return pagefind[name].apply(null, args);
    });
  };
}

export var options = once("options");
export var mergeIndex = once("mergeIndex");
export var filters = once("filters");
export var search = once("search");
export var preload = once("preload");
export var debouncedSearch = once("debouncedSearch");
export var init = once("init");
export var destroy = once("destroy");
