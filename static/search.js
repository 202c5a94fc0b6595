// Search glue for /search/: Pagefind's JS API, results as plain links. The only script on the site.
(async () => {
  const script = document.currentScript || document.querySelector("script[data-bundle]");
  const bundle = script.dataset.bundle; // e.g. "/REPO/pagefind/": works under any sub-path
  const form = document.querySelector("main .search-form");
  const input = document.getElementById("search-input");
  const selects = [...document.querySelectorAll("main select[data-filter]")]; // one per taxonomy with a filter
  const sort = document.getElementById("search-sort");
  const more = document.getElementById("search-more");
  const PAGE = 20; // results shown at once; "Show more results" adds as many again
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");

  let pagefind;
  try {
    pagefind = await import(bundle + "pagefind.js");
    await pagefind.options({ baseUrl: bundle.replace(/pagefind\/$/, ""), excerptLength: 30 });
  } catch (err) {
    status.textContent = "Search is not available here. Browse by the lists above or by date instead.";
    return;
  }

  const escapeText = (text) => { const d = document.createElement("div"); d.textContent = text; return d.innerHTML; };
  // Pagefind excerpts are text with <mark> highlights; escape everything else.
  const safeExcerpt = (html) => escapeText(html.replace(/<\/?mark>/g, "\u0001"))
    .replace(/\u0001(.*?)\u0001/g, "<mark>$1</mark>").replace(/\u0001/g, "");
  const card = (r) => `<li class="card"><h2 class="card-title"><a href="${encodeURI(r.url)}">${escapeText(r.meta.title || r.url)}</a></h2>`
    + (r.meta.published ? `<p class="meta">${escapeText(r.meta.published)}</p>` : "")
    + `<p class="summary">${safeExcerpt(r.excerpt)}</p></li>`;

  let latest = 0;
  let found = []; // every result of the current search; the first `shown` are on the page
  let shown = 0;

  function describe() {
    const n = found.length;
    status.textContent = n ? `${n} result${n === 1 ? "" : "s"}${n > shown ? `, showing the first ${shown}` : ""}`
      : "No results. Try fewer words or another filter.";
    more.hidden = shown >= n;
    more.disabled = false;
  }

  async function showMore(ticket) {
    more.disabled = true; // one batch at a time, so a double click cannot show a result twice
    const next = await Promise.all(found.slice(shown, shown + PAGE).map((r) => r.data()));
    if (ticket !== latest) return; // a newer search superseded this one
    list.insertAdjacentHTML("beforeend", next.map(card).join(""));
    shown += next.length;
    describe();
  }

  async function run() {
    const ticket = ++latest;
    const query = input.value.trim();
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [k, v] of Object.entries(filters)) params.set(k, v);
    if (sort.value) params.set("sort", sort.value);
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
    if (!query && !Object.keys(filters).length) {
      found = []; shown = 0; list.innerHTML = ""; status.textContent = ""; more.hidden = true; return;
    }
    // Article pages carry data-pagefind-sort="date:YYYY-MM-DD"; undated ones come last.
    const options = sort.value ? { filters, sort: { date: sort.value } } : { filters };
    const search = await pagefind.debouncedSearch(query || null, options, 150);
    if (search === null || ticket !== latest) return;
    found = search.results;
    shown = 0;
    list.innerHTML = "";
    await showMore(ticket);
    if (ticket === latest) list.dataset.search = params.toString(); // which search the list shows
  }

  // The URL fills the form, except fields the reader already changed while Pagefind loaded.
  const params = new URLSearchParams(location.search);
  const unknown = [];
  for (const [field, key] of [[input, "q"], ...selects.map((s) => [s, s.dataset.filter]), [sort, "sort"]]) {
    if (!field || field.value) continue;
    field.value = params.get(key) || "";
    // A select keeps no value it has no option for: say so rather than search for it silently.
    if (params.get(key) && field.value !== params.get(key)) unknown.push(`${key} "${params.get(key)}"`);
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  input.addEventListener("input", run);
  for (const select of [...selects, sort]) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(latest));
  await run();
  if (unknown.length) {
    status.textContent = `The archive has no ${unknown.join(" and no ")}; that filter is not applied. `
      + status.textContent;
  }
})();
