// Search glue for /search/: Pagefind's JS API, results as plain links. The only script on the site.
(async () => {
  const script = document.currentScript || document.querySelector("script[data-bundle]");
  const bundle = script.dataset.bundle;
  const form = document.querySelector(".search-form");
  const input = document.getElementById("search-input");
  const topic = document.getElementById("search-topic");
  const company = document.getElementById("search-company");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const pagefind = await import(bundle + "pagefind.js");
  await pagefind.options({ baseUrl: bundle.replace(/pagefind\/$/, "") });

  const escapeText = (text) => { const d = document.createElement("div"); d.textContent = text; return d.innerHTML; };
  // Pagefind excerpts are escaped text with <mark> highlights; keep only those tags.
  const safeExcerpt = (html) => escapeText(html.replace(/<\/?mark>/g, "\u0001")).replace(/\u0001(.*?)\u0001/g, "<mark>$1</mark>");

  async function run() {
    const query = input.value.trim();
    const filters = {};
    if (topic && topic.value) filters.topic = topic.value;
    if (company && company.value) filters.company = company.value;
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [k, v] of Object.entries(filters)) params.set(k, v);
    history.replaceState(null, "", "?" + params.toString());
    if (!query && !Object.keys(filters).length) { list.innerHTML = ""; status.textContent = ""; return; }
    const search = await pagefind.search(query || null, { filters });
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    status.textContent = `${search.results.length} result${search.results.length === 1 ? "" : "s"}`;
    list.innerHTML = results.map((r) => `<li class="card"><h2 class="card-title"><a href="${encodeURI(r.url)}">${escapeText(r.meta.title || r.url)}</a></h2><p>${safeExcerpt(r.excerpt)}</p></li>`).join("");
  }

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (topic) topic.value = params.get("topic") || "";
  if (company) company.value = params.get("company") || "";
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  input.addEventListener("input", () => run());
  run();
})();
