// Search glue for /search/: Pagefind's JS API, results as plain links. The only script on the site.
(async () => {
  const script = document.currentScript || document.querySelector("script[data-bundle]");
  const bundle = script.dataset.bundle; // e.g. "/REPO/pagefind/": works under any sub-path
  const form = document.querySelector("main .search-form");
  const input = document.getElementById("search-input");
  const topic = document.getElementById("search-topic");
  const company = document.getElementById("search-company");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");

  let pagefind;
  try {
    pagefind = await import(bundle + "pagefind.js");
    await pagefind.options({ baseUrl: bundle.replace(/pagefind\/$/, ""), excerptLength: 30 });
  } catch (err) {
    status.textContent = "Search is not available here. Browse by topic, company or date instead.";
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
  async function run() {
    const ticket = ++latest;
    const query = input.value.trim();
    const filters = {};
    if (topic && topic.value) filters.topic = topic.value;
    if (company && company.value) filters.company = company.value;
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [k, v] of Object.entries(filters)) params.set(k, v);
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
    if (!query && !Object.keys(filters).length) { list.innerHTML = ""; status.textContent = ""; return; }
    const search = await pagefind.debouncedSearch(query || null, { filters }, 150);
    if (search === null || ticket !== latest) return; // a newer search superseded this one
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    if (ticket !== latest) return;
    const n = search.results.length;
    status.textContent = n ? `${n} result${n === 1 ? "" : "s"}${n > 20 ? ", showing the first 20" : ""}` : "No results. Try fewer words or another filter.";
    list.innerHTML = results.map(card).join("");
  }

  // The URL fills the form, except fields the reader already changed while Pagefind loaded.
  const params = new URLSearchParams(location.search);
  for (const [field, key] of [[input, "q"], [topic, "topic"], [company, "company"]]) {
    if (field && !field.value) field.value = params.get(key) || "";
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  input.addEventListener("input", run);
  for (const select of [topic, company]) if (select) select.addEventListener("change", run);
  run();
})();
