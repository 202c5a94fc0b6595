// Search glue for /search/: Pagefind's JS API over the index shards, results as plain links.
// The only script on the site. Each shard is a Pagefind bundle (pagefind/NN/): the first is loaded
// and the others merged into it (mergeIndex: one script and one WebAssembly module for all).
// Pagefind orders merged results by score, which suits "best match" but not a date order: sorted,
// each shard scores its results by rank, and the merge interleaves the shards. A date-ordered
// search asks each shard alone (its "shard" filter) and `byDate` merges their runs by date.
(async () => {
  const script = document.currentScript || document.querySelector("script[data-bundle]");
  const bundle = script.dataset.bundle; // e.g. "/REPO/pagefind/": works under any sub-path
  const baseUrl = bundle.replace(/pagefind\/$/, "");
  const form = document.querySelector("main .search-form");
  const input = document.getElementById("search-input");
  const selects = [...document.querySelectorAll("main select[data-filter]")]; // one per taxonomy with a filter
  const from = document.getElementById("search-from");
  const to = document.getElementById("search-to");
  const sort = document.getElementById("search-sort");
  const more = document.getElementById("search-more");
  const PAGE = 20; // results shown at once; "Show more results" adds as many again
  const POLL = 2000; // while the index catches up with an edit (preview), look again this often (ms)
  const status = document.getElementById("search-status");
  const catchingUp = document.getElementById("search-catching-up");
  const list = document.getElementById("search-results");

  // Pagefind's script comes from the first shard (pagefind/00/, as builder/search.py names them): asked
  // for at once, while shards.json is read (a failure shows when `load` imports it).
  import(`${bundle}00/pagefind.js`).catch(() => {});
  // pagefind/shards.json lists the shards, and says whether the index lags behind an edit.
  const manifest = async () => {
    const response = await fetch(bundle + "shards.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`shards.json: ${response.status}`);
    return response.json();
  };
  // Pagefind asks for its files in turn: the first bundle's entry, then its metadata and WebAssembly,
  // then, once that WebAssembly has loaded, each merged bundle's entry, then its metadata. Here the
  // merged bundles' entries are read as soon as the manifest names them (under the `metaCacheTag`
  // Pagefind then asks with, so that it finds them in the cache) and their metadata asked for at once
  // (<link rel=preload>), along with the first bundle's files.
  const language = (document.documentElement.lang || "unknown").toLowerCase();
  async function prefetch(name, tag) {
    const entry = await (await fetch(`${bundle}${name}/pagefind-entry.json?ts=${tag}`)).json();
    const languages = entry.languages || {}; // the language Pagefind picks: the page's, else the largest
    const index = languages[language] || languages[language.split("-")[0]]
      || Object.values(languages).sort((a, b) => b.page_count - a.page_count)[0];
    if (!index) return;
    const link = Object.assign(document.createElement("link"), { rel: "preload", as: "fetch" });
    link.href = `${bundle}${name}/pagefind.${index.hash}.pf_meta`;
    link.crossOrigin = "anonymous";
    document.head.append(link);
  }
  // noWorker: in a web worker the first results came 0.3-0.5 s later (its script, and every
  // shard's messages through it).
  async function load(index, version) {
    const [first, ...others] = index.shards;
    const metaCacheTag = String(Date.now());
    for (const name of others) prefetch(name, metaCacheTag).catch(() => {}); // hints only
    const instance = await import(`${bundle}${first}/pagefind.js${version ? "?v=" + version : ""}`);
    await instance.options({ baseUrl, excerptLength: 30, noWorker: true, metaCacheTag });
    await Promise.all(others.map((s) => instance.mergeIndex(`${bundle}${s}/`, { baseUrl, metaCacheTag })));
    return instance;
  }

  let shards = []; // the bundles: shards, and "recent" (pages edited since their shard was indexed)
  let superseded = new Set(); // ids of the shards' entries for those pages, superseded by "recent"
  let sizes = {}; // bundle -> how many pages it indexed (the rescaling of scores)
  let pagefind; // the first shard with the others merged in
  let months = []; // every month with articles ("YYYY-MM"), for the date filter
  let shown = 0;
  try {
    const index = await manifest();
    shards = index.shards;
    superseded = new Set(index.superseded);
    sizes = index.pages || {};
    pagefind = await load(index);
    catchingUp.hidden = !index.catching_up;
    if (index.catching_up) setTimeout(poll, POLL);
  } catch (err) {
    status.textContent = "Search is not available here. Browse by the lists above or by date instead.";
    return;
  }

  async function poll() {
    let index;
    try { index = await manifest(); } catch (err) { setTimeout(poll, POLL); return; }
    if (index.catching_up) { setTimeout(poll, POLL); return; }
    shards = index.shards;
    superseded = new Set(index.superseded);
    sizes = index.pages || {};
    pagefind = await load(index, Date.now()); // a fresh instance reads the new shards
    months = [];
    catchingUp.hidden = true;
    await run();
  }

  const escapeText = (text) => { const d = document.createElement("div"); d.textContent = text; return d.innerHTML; };
  // Pagefind excerpts are text with <mark> highlights; escape everything else.
  const safeExcerpt = (html) => escapeText(html.replace(/<\/?mark>/g, "\u0001"))
    .replace(/\u0001(.*?)\u0001/g, "<mark>$1</mark>").replace(/\u0001/g, "");
  // Article pages end in a hidden paragraph, "⁂ headline. tags and aliases", weighted for search:
  // an excerpt stops before it, and one drawn from it alone gives way to the start of the text.
  const TAIL = "\u2042";
  function excerptOf(r) {
    const tail = r.content.indexOf(TAIL);
    if (tail < 0) return safeExcerpt(r.excerpt);
    const at = r.content.indexOf(r.excerpt.replace(/<\/?mark>/g, ""));
    if (at < tail || r.excerpt.includes(TAIL)) return safeExcerpt(r.excerpt.split(TAIL)[0]);
    const words = r.content.slice(0, tail).trim().split(/\s+/);
    return escapeText(words.slice(0, 30).join(" ") + (words.length > 30 ? " …" : ""));
  }
  const card = (r) => {
    const meta = [r.meta.published || "Undated", r.meta.source && `Source: ${r.meta.source}`].filter(Boolean);
    return `<li class="card"><h2 class="card-title"><a href="${encodeURI(r.url)}">${escapeText(r.meta.title || r.url)}</a></h2>`
      + `<p class="meta">${meta.map(escapeText).join(" · ")}</p>`
      + `<p class="summary">${excerptOf(r)}</p></li>`;
  };

  // A date range in the URL: from/to as YYYY-MM, or year=YYYY for one year.
  const params = new URLSearchParams(location.search);
  if (/^\d{4}$/.test(params.get("year") || "")) {
    if (!params.get("from")) params.set("from", `${params.get("year")}-01`);
    if (!params.get("to")) params.set("to", `${params.get("year")}-12`);
  }

  async function monthFilter() {
    if (!from.value && !to.value) return null;
    if (!months.length) months = Object.keys((await pagefind.filters()).month || {}).sort();
    return months.filter((m) => (!from.value || m >= from.value) && (!to.value || m <= to.value));
  }

  // Pagefind scores a bundle's results by each query word's rarity among that bundle's pages (BM25's
  // idf). Each bundle's scores are rescaled by the query words' rarity among all bundles' pages over
  // their rarity among its own, so that results of different bundles compare as in one index (exactly
  // for a one-word query, on average for more). A bundle's own count includes its vocabulary
  // documents: a shard's lists only the words none of its pages holds, the overlay's match as counted.
  // `counts`: for each query word, how many pages of each bundle hold it (see `statistics`).
  const rarity = (pages, having) => Math.log((pages - having + 0.5) / (having + 0.5) + 1);
  const holding = (bundle, having, count) =>
    bundle === "recent" ? (having[bundle] || 0) + (count.vocabulary?.overlay || 0) : having[bundle] || 1;
  function rescaled(lists, kept, counts) {
    const pages = kept.map((s) => sizes[s] || 1); // each bundle's pages, its vocabulary documents included
    const total = Math.max(1, pages.reduce((a, b) => a + b, 0) - kept.length); // one index has none
    return lists.map((list, k) => {
      let global = 0;
      let own = 0;
      for (const count of counts) {
        const having = count.shard || {};
        global += rarity(total, kept.reduce((sum, s) => sum + (having[s] || 0), 0));
        own += rarity(pages[k], holding(kept[k], having, count));
      }
      const factor = own ? global / own : 1;
      return list.map((result) => ({ ...result, score: result.score * factor }));
    });
  }

  // Results of all shards as one list: `next(n)` gives the data of the next n results.
  const dataOf = (r) => (r.loaded ||= r.data());
  function byScore(lists) {
    const all = lists.flat().sort((a, b) => b.score - a.score);
    let at = 0;
    return { total: all.length, next: (n) => Promise.all(all.slice(at, (at += n)).map(dataOf)) };
  }
  // Each shard's list is in date order already; merge them, newest (or oldest) first, undated last.
  function byDate(lists, order) {
    const heads = lists.map(() => 0);
    const before = (a, b) => !b.meta.date ? !!a.meta.date
      : !!a.meta.date && (order === "asc" ? a.meta.date < b.meta.date : a.meta.date > b.meta.date);
    async function next(n) {
      const out = [];
      while (out.length < n) {
        const open = lists.map((_, k) => k).filter((k) => heads[k] < lists[k].length);
        if (!open.length) break;
        const candidates = await Promise.all(open.map((k) => dataOf(lists[k][heads[k]])));
        let best = 0;
        for (let j = 1; j < open.length; j++) if (before(candidates[j], candidates[best])) best = j;
        out.push(candidates[best]);
        heads[open[best]] += 1;
      }
      return out;
    }
    return { total: lists.reduce((sum, list) => sum + list.length, 0), next };
  }

  // What a query word matches across the bundles, without listing a result: how many pages of each
  // bundle hold it ("shard"), how many of the overlay's vocabulary documents ("vocabulary") and which
  // shards those lack ("lacks"). No page has both a "shard" and a "vocabulary" filter, so this search
  // returns no results (it costs a fraction of one that lists them), and `totalFilters` holds Pagefind's
  // counts of the word's pages before filtering.
  const only = { shard: { any: ["none"] }, vocabulary: "overlay", lacks: { not: "none" } };
  const statistics = async (word) => (await pagefind.search(word, { filters: only })).totalFilters || {};

  // Every bundle knows every word of the archive (its pages hold some, a vocabulary document the
  // rest), so that each decides as one index would whether a query word has completions (else Pagefind falls back to the word's longest
  // prefix, or ignores the word, bundle by bundle). A shard knows the words of its own indexing; the
  // overlay knows the archive's words as they are now, in documents filtered by the shards that lack
  // them ("lacks"). A query word that matches none of them is left out (one index ignores it); one
  // that only words a shard lacks complete matches none of that shard's pages in one index, so the
  // shard is left out. Returns the bundles to search, the words to search them for and their counts.
  function consistent(words, counts) {
    if (!words.length || !shards.includes("recent")) return { kept: shards, words, counts };
    const lacking = new Set();
    const known = words.map((_, i) => i).filter((i) => {
      const matched = counts[i].vocabulary?.overlay || 0;
      for (const [shard, count] of Object.entries(counts[i].lacks || {})) {
        if (matched && count === matched) lacking.add(shard);
      }
      return matched > 0;
    });
    return {
      kept: known.length ? shards.filter((s) => !lacking.has(s)) : [], // no word of the query is in the archive
      words: known.map((i) => words[i]),
      counts: known.map((i) => counts[i]),
    };
  }

  let latest = 0;
  let found = { total: 0, next: async () => [] }; // every result of the current search

  function describe() {
    const n = found.total;
    status.textContent = n ? `${n} result${n === 1 ? "" : "s"}${n > shown ? `, showing the first ${shown}` : ""}`
      : "No results. Try fewer words or another filter.";
    more.hidden = shown >= n;
    more.disabled = false;
  }

  async function showMore(ticket) {
    more.disabled = true; // one batch at a time, so a double click cannot show a result twice
    const next = await found.next(PAGE);
    if (ticket !== latest) return; // a newer search superseded this one
    list.insertAdjacentHTML("beforeend", next.map(card).join(""));
    shown += next.length;
    describe();
  }

  async function run(typing = false) {
    const ticket = ++latest;
    const query = input.value.trim();
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    const search = new URLSearchParams();
    if (query) search.set("q", query);
    for (const [k, v] of Object.entries(filters)) search.set(k, v);
    if (from.value) search.set("from", from.value);
    if (to.value) search.set("to", to.value);
    if (sort.value) search.set("sort", sort.value);
    history.replaceState(null, "", search.toString() ? "?" + search : location.pathname);
    if (!query && !search.toString().replace(/(^|&)sort=[^&]*/, "")) {
      found = byScore([]); shown = 0; list.innerHTML = ""; status.textContent = ""; more.hidden = true; return;
    }
    if (from.value && to.value && from.value > to.value) {
      found = byScore([]); shown = 0; list.innerHTML = ""; more.hidden = true;
      status.textContent = `"From" (${from.value}) is after "To" (${to.value}); no article is in that range.`;
      return;
    }
    const inRange = await monthFilter();
    if (ticket !== latest) return;
    if (inRange) filters.month = { any: inRange.length ? inRange : ["none"] };
    // Article pages carry two sort keys, "date" (undated: 0000-01-01) and "oldest" (undated:
    // 9999-12-31), so that undated articles come last in either order.
    const options = !sort.value ? { filters } : { filters, sort: sort.value === "asc" ? { oldest: "asc" } : { date: "desc" } };
    if (typing) await new Promise((resolve) => setTimeout(resolve, 150)); // search once the reader pauses
    if (ticket !== latest) return;
    // Bundle by bundle (a date order merges their runs; best match rescales their scores).
    const searchIn = (kept, words) => {
      const each = sort.value || words ? kept.map((s) => ({ ...options, filters: { ...filters, shard: s } }))
        : [{ ...options, filters: { ...filters, shard: { any: kept } } }];
      return Promise.all(each.map((o) => pagefind.search(words || null, o)));
    };
    // Results come only from article pages (each has its bundle's "shard" filter), never from a
    // bundle's vocabulary document. The words are counted first (that search loads the index chunks
    // the bundles' searches then use), so a word or bundle `consistent` leaves out is never searched.
    const words = query.split(/\s+/).filter(Boolean);
    const counting = shards.includes("recent") || (!sort.value && shards.length > 1);
    const counts = counting ? await Promise.all(words.map(statistics)) : [];
    if (ticket !== latest) return;
    const fit = consistent(words, counts);
    const results = fit.kept.length ? await searchIn(fit.kept, fit.words.join(" ")) : [];
    if (ticket !== latest) return;
    let lists = results.map((r) => r.results);
    if (!sort.value && results.length > 1) lists = rescaled(lists, fit.kept, fit.counts);
    lists = lists.map((list) => list.filter((result) => !superseded.has(result.id)));
    found = sort.value ? byDate(lists, sort.value) : byScore(lists);
    shown = 0;
    list.innerHTML = "";
    await showMore(ticket);
    if (ticket === latest) list.dataset.search = search.toString(); // which search the list shows
  }

  // The URL fills the form, except fields the reader already changed while Pagefind loaded.
  const unknown = [];
  const fields = [[input, "q"], ...selects.map((s) => [s, s.dataset.filter]), [from, "from"], [to, "to"], [sort, "sort"]];
  for (const [field, key] of fields) {
    if (!field || field.value) continue;
    field.value = params.get(key) || "";
    // A select or month field keeps no value it cannot hold: say so rather than search for it silently.
    if (params.get(key) && field.value !== params.get(key)) unknown.push(`${key} "${params.get(key)}"`);
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  input.addEventListener("input", () => run(true));
  for (const field of [...selects, from, to, sort]) field.addEventListener("change", () => run());
  more.addEventListener("click", () => showMore(latest));
  await run();
  if (unknown.length) {
    status.textContent = `The archive has no ${unknown.join(" and no ")}; that filter is not applied. `
      + status.textContent;
  }
})();
