/* Search page: Pagefind UI over the site's own index, Chinese strings, and
   the query from the header form (?q=). Paths are resolved from the page's
   relative root so the site also works under a sub-path. */
(function () {
  var el = document.getElementById("gk-search");
  if (!el || typeof PagefindUI === "undefined") return;
  var root = new URL(el.getAttribute("data-gk-root"), location.href);
  var bundle = new URL("pagefind/", root).href;
  // A large site is indexed in shards (pagefind/, pagefind-1/, …); the build lists the others here.
  var merge = (el.getAttribute("data-gk-merge") || "").split(" ").filter(Boolean).map(function (name) {
    return {bundlePath: new URL(name + "/", root).href, baseUrl: root.pathname};
  });
  // Searched on the page itself: Pagefind's web worker is one more script (41 KB) on the
  // first search, and each record shard adds its own index chunks (generator/sitebuild/search.py).
  var engine = {baseUrl: root.pathname, noWorker: true, excerptLength: 40};

  // Pagefind UI 1.5.2 draws the filters its first results carry and keeps them. Results carry
  // only the filters whose index has loaded, and the UI starts loading those just before its
  // first search: when the search won, the 专栏 filter never appeared (seen in 2 whole-suite
  // runs of tests/test_browser_a11y.py, 2026-12-07 and 12-08; a slow line makes it likelier).
  // So every bundle and all its filters are loaded first, into the one Pagefind instance, and
  // the UI reaches it through assets/gk-pagefind/pagefind.js, whose functions wait for that.
  function loadIndex() {
    return import(bundle + "pagefind.js").then(function (pagefind) {
      return pagefind.options(engine).then(function () {
        return Promise.all(merge.map(function (m) { return pagefind.mergeIndex(m.bundlePath, {baseUrl: m.baseUrl}); }));
      }).then(function () {
        return pagefind.filters();
      });
    });
  }
  // A failed load must not stop the search: the UI's calls go ahead once it settles either way
  // (filter files that fail to load: tests/test_browser_search.py).
  window.gkSearchReady = loadIndex().catch(function () {});

  var ui = new PagefindUI({
    element: "#gk-search",
    bundlePath: new URL("assets/gk-pagefind/", root).href,
    baseUrl: engine.baseUrl,
    noWorker: engine.noWorker,
    excerptLength: engine.excerptLength,
    showSubResults: true,
    showImages: false,
    autofocus: false,
    // 检索词 only helps ranking (generator/search.py); a reader has no use for it.
    processResult: function (result) {
      if (result.meta) delete result.meta["检索词"];
      return result;
    },
    translations: {
      placeholder: "输入要查找的内容",
      clear_search: "清除",
      load_more: "显示更多结果",
      search_label: "搜索本站信息",
      filters_label: "筛选",
      zero_results: "没有找到与“[SEARCH_TERM]”相关的信息，请换个词再试",
      many_results: "找到 [COUNT] 条与“[SEARCH_TERM]”相关的信息",
      one_result: "找到 1 条与“[SEARCH_TERM]”相关的信息",
      alt_search: "没有找到与“[SEARCH_TERM]”相关的信息，下面是与“[DIFFERENT_TERM]”相关的信息",
      search_suggestion: "没有找到与“[SEARCH_TERM]”相关的信息，可以试试：",
      searching: "正在搜索“[SEARCH_TERM]”……"
    }
  });
  var q = new URLSearchParams(location.search).get("q");
  var header = document.getElementById("gk-q");
  if (q) {
    if (header) header.value = q;
    ui.triggerSearch(q);
  }
})();
