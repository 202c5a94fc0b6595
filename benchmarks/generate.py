"""Write a synthetic, deterministic tech-news archive of N articles for the build benchmark.

    python benchmarks/generate.py N OUT [--seed S]

OUT gets content/*.md (one article per file, front matter as the project writes it),
site.toml, an empty seeds/, and copies of the repository's templates/, static/ and data/,
so that `python -m builder build` run inside OUT builds it. Same N and seed: byte-identical
files. Each article comes from its own seeded generator, so the first N articles of a
bigger archive are the N articles of a smaller one, and `article(N)` is a new one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import shutil
import sys
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".benchmark-archive"  # only folders carrying it are ever cleared
BASE_URL = "https://bench.example.org/"
FIRST_DAY = dt.date(2021, 7, 1)
DAYS = 5 * 365  # dates spread over five years
DEFAULT_SEED = 2026

TOPICS = [
    "Artificial intelligence",
    "Cybersecurity",
    "Data protection",
    "Antitrust",
    "Semiconductors",
    "Cloud computing",
    "Open source",
    "Social media",
    "Content moderation",
    "Online safety",
    "Export controls",
    "Telecommunications",
    "5G",
    "Quantum computing",
    "Robotics",
    "Autonomous vehicles",
    "Electric vehicles",
    "Space",
    "Digital payments",
    "Cryptocurrency",
    "E-commerce",
    "App stores",
    "Advertising",
    "Privacy",
    "Encryption",
    "Surveillance",
    "Copyright",
    "Patents",
    "Labour",
    "Gig economy",
    "Data centres",
    "Energy",
    "Climate",
    "Health tech",
    "Education technology",
    "Gaming",
    "Streaming",
    "Smartphones",
    "Digital services tax",
    "Elections",
]

_COMPANY_ROOTS = [
    "Alphabet",
    "Apple",
    "Microsoft",
    "Amazon",
    "Meta",
    "Nvidia",
    "Intel",
    "AMD",
    "Qualcomm",
    "Samsung",
    "TSMC",
    "Huawei",
    "Tencent",
    "Alibaba",
    "ByteDance",
    "Baidu",
    "Xiaomi",
    "Sony",
    "IBM",
    "Oracle",
    "Salesforce",
    "Adobe",
    "Netflix",
    "Spotify",
    "Uber",
    "Lyft",
    "Airbnb",
    "Tesla",
    "SpaceX",
    "OpenAI",
    "Anthropic",
    "Mistral",
    "Cohere",
    "Palantir",
    "Snowflake",
    "Cloudflare",
    "Fastly",
    "Akamai",
    "CrowdStrike",
    "Okta",
    "Zoom",
    "Slack",
    "Atlassian",
    "Shopify",
    "Stripe",
    "PayPal",
    "Block",
    "Visa",
    "Mastercard",
    "Coinbase",
    "Binance",
    "Kraken",
    "Revolut",
    "Klarna",
    "Adyen",
    "SAP",
    "Siemens",
    "Nokia",
    "Ericsson",
    "Vodafone",
    "Orange",
    "Telefonica",
    "Deutsche Telekom",
    "BT",
    "Verizon",
    "Comcast",
    "Charter",
    "Dell",
    "HP",
    "Lenovo",
    "Cisco",
    "Juniper",
    "Arista",
    "Broadcom",
    "Micron",
    "SK Hynix",
    "ASML",
    "Infineon",
    "Arm",
    "Graphcore",
    "Cerebras",
    "Databricks",
    "Hugging Face",
    "Stability",
    "Midjourney",
    "Reddit",
    "Pinterest",
    "Snap",
    "X",
    "Discord",
    "Telegram",
    "Signal",
    "Proton",
    "DuckDuckGo",
    "Yandex",
    "Naver",
    "Kakao",
    "Rakuten",
    "Sea",
    "Grab",
    "Gojek",
    "Flipkart",
    "Reliance Jio",
    "Infosys",
    "Wipro",
    "Mercado Libre",
    "Nubank",
    "Epic Games",
    "Valve",
    "Roblox",
    "Activision",
    "Ubisoft",
    "Nintendo",
    "Unity",
    "Zillow",
    "DoorDash",
    "Instacart",
    "Deliveroo",
    "Just Eat",
    "Bolt",
    "Waymo",
    "Cruise",
    "Rivian",
    "BYD",
    "CATL",
    "Northvolt",
    "Starlink",
    "OneWeb",
    "Rocket Lab",
    "Blue Origin",
    "Illumina",
    "23andMe",
    "Oura",
    "Fitbit",
    "Garmin",
    "GoPro",
    "Sonos",
    "Logitech",
    "Dropbox",
    "Box",
    "GitHub",
    "GitLab",
    "Mozilla",
    "Red Hat",
    "Canonical",
    "VMware",
    "Equinix",
    "Digital Realty",
    "Scale AI",
    "Samsara",
]
COMPANIES = _COMPANY_ROOTS[:150]
# Zipf-like popularity: the k-th company is named about 1/k as often as the first.
_COMPANY_WEIGHTS = list(accumulate(1.0 / (k + 1) for k in range(len(COMPANIES))))
_COMPANY_COUNTS = [0, 1, 1, 2, 2, 2, 3, 4]  # 0–4 companies per article, mostly 1–2

VERBS = [
    "unveils",
    "delays",
    "expands",
    "faces",
    "wins",
    "loses",
    "cuts",
    "launches",
    "tests",
    "challenges",
    "settles",
    "defends",
    "acquires",
    "sells",
    "restructures",
    "pauses",
    "revives",
    "opens",
    "closes",
    "backs",
    "drops",
    "probes",
    "fines",
    "sues",
    "doubles",
    "trims",
]
NOUNS = [
    "chip plant",
    "data centre",
    "privacy rules",
    "cloud contract",
    "AI model",
    "app store fees",
    "security flaw",
    "antitrust case",
    "export licence",
    "subscription plan",
    "satellite network",
    "ad business",
    "browser",
    "payments service",
    "supply deal",
    "research lab",
    "battery factory",
    "content policy",
    "encryption plan",
    "developer tools",
    "search engine",
    "robotaxi service",
    "smartphone line",
    "open-source licence",
    "bug bounty",
    "quantum roadmap",
    "streaming bundle",
]
PLACES = [
    "in Europe",
    "in India",
    "in Brazil",
    "in Japan",
    "in Texas",
    "in California",
    "in the UK",
    "in Germany",
    "in South Korea",
    "in Kenya",
    "in Canada",
    "in Australia",
    "worldwide",
    "in Singapore",
    "in Ireland",
    "in France",
    "in Mexico",
    "in Indonesia",
]
REASONS = [
    "amid regulatory scrutiny",
    "after user backlash",
    "as demand slows",
    "as costs rise",
    "ahead of earnings",
    "after a court ruling",
    "under new rules",
    "despite investor doubts",
    "following a data breach",
    "as rivals close in",
    "after months of talks",
    "in a policy shift",
]
WORDS = (
    "the a an of to in and for on with by from at as that this its their new said says would could "
    "will may data users market regulators company companies government officials billion million "
    "percent year quarter report analysts according statement customers service services platform "
    "platforms rules law court ruling investigation competition privacy security network networks "
    "software hardware chips models model training cloud infrastructure revenue growth investors "
    "shares deal plans plan launch product products devices phone phones app apps developers "
    "engineers researchers research open source code release version update features feature access "
    "policy policies commission agency minister lawmakers bill proposal vote approval fine fines "
    "penalty complaint complaints consumers content moderation advertising ads search browser "
    "payments bank banks crypto exchange tokens energy power grid capacity supply chain factory "
    "plant production demand prices price costs cost jobs workers staff union layoffs hiring "
    "employees contract contracts partnership partners rival rivals startup startups funding round "
    "valuation acquisition merger review approval security breach attack attackers vulnerability "
    "patch systems system outage hours week month months earlier later last next first second "
    "major minor global local national european american chinese indian regional several many "
    "few more less most least higher lower faster slower larger smaller public private internal "
    "external early late recent current former future key critical important significant "
    "expected unexpected planned delayed reported confirmed denied announced declined refused "
    "agreed warned argued noted added told wrote estimated suggested showed found raised cut "
    "increased reduced expanded limited blocked allowed required asked sought filed opened closed"
).split()
EMPHASIS = ["not", "all", "before", "only", "never", "every", "still", "first", "again", "already"]
STRONG = ["Update:", "Correction:", "Context:", "Why it matters:", "Background:", "Note:"]
SUBHEADS = [
    "What changes",
    "Background",
    "The numbers",
    "What critics say",
    "What comes next",
    "Reaction",
    "How it works",
    "The fine print",
    "Timeline",
    "Why now",
]


_STREAM = random.Random(0).choices(WORDS, k=1 << 17)


class _Writer:
    """Sentences and blocks for one article, from one seeded generator and one draw of words."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def take(self, count: int) -> list[str]:
        """`count` words from a random place in one long fixed stream: one draw, not `count`."""
        start = int(self.rng.random() * (len(_STREAM) - count))
        return _STREAM[start : start + count]

    def sentence(self, lo: int = 8, hi: int = 22) -> str:
        rng = self.rng
        words = self.take(lo + int(rng.random() * (hi - lo + 1)))
        roll = rng.random()
        if roll < 0.12:
            words[int(rng.random() * len(words))] = f"*{EMPHASIS[int(rng.random() * len(EMPHASIS))]}*"
        elif roll < 0.2:
            i = int(rng.random() * (len(words) - 1))
            words[i : i + 2] = [f"[{words[i]} {words[i + 1]}](https://example.org/{words[i]}/{rng.randrange(10**6)})"]
        elif roll < 0.24:
            return f"**{rng.choice(STRONG)}** " + " ".join(words) + "."
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def body(self, companies: list[str]) -> str:
        """250–600 words of Markdown: paragraphs, emphasis, links, lists, the odd subheading."""
        rng = self.rng
        target = rng.randint(250, 600)
        blocks: list[str] = []
        count = 0
        names = companies or ["The company"]
        while count < target:
            roll = rng.random()
            if roll < 0.08 and blocks and not blocks[-1].startswith("## "):
                block = "## " + rng.choice(SUBHEADS)
            elif roll < 0.2 and blocks:
                items = [self.sentence(4, 10)[:-1] for _ in range(rng.randint(3, 5))]
                block = "\n".join(f"- {item}" for item in items)
            else:
                lead = f"{rng.choice(names)} {rng.choice(VERBS)} {rng.choice(NOUNS)} {rng.choice(PLACES)}."
                block = " ".join([lead, *(self.sentence() for _ in range(rng.randint(2, 5)))])
            words = len(block.split())
            if count + words > 600 and count >= 250:
                break
            blocks.append(block)
            count += words
        if blocks[-1].startswith("## "):
            count -= len(blocks.pop().split())
        while count < 250:
            blocks.append(self.sentence())
            count += len(blocks[-1].split())
        return "\n\n".join(blocks)


def _slug(title: str, number: int) -> str:
    words = "".join(c if c.isalnum() and c.isascii() else " " for c in title.lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    return f"{slug}-{number}"


def _flow(names: list[str]) -> str:
    return "[" + ", ".join(names) + "]"


def article(number: int, seed: int = DEFAULT_SEED) -> tuple[str, str]:
    """(file name, file text) of article `number` (0-based); depends on nothing else."""
    rng = random.Random(f"{seed}:{number}")
    count = rng.choice(_COMPANY_COUNTS)
    companies: list[str] = []
    while len(companies) < count:
        name = rng.choices(COMPANIES, cum_weights=_COMPANY_WEIGHTS)[0]
        if name not in companies:
            companies.append(name)
    topics = rng.sample(TOPICS, rng.choice((1, 1, 2, 2, 2, 3)))
    who = companies[0] if companies else rng.choice(["Regulators", "Lawmakers", "Researchers", "Startups"])
    title = f"{who} {rng.choice(VERBS)} {rng.choice(NOUNS)} {rng.choice(PLACES)} {rng.choice(REASONS)}"
    slug = _slug(title, number + 1)
    date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    writer = _Writer(rng)
    summary = f"{who} {rng.choice(VERBS)} {rng.choice(NOUNS)}; " + " ".join(writer.take(rng.randint(12, 24))) + "."
    # The same text yaml.safe_dump(sort_keys=False, default_flow_style=None) writes for these
    # plain values (tests/test_benchmark.py checks it); formatting by hand is 50x faster.
    front = (
        f"---\ntitle: {title}\nslug: {slug}\ndate: {date.isoformat()}\nsummary: {summary}\n"
        f"topics: {_flow(topics)}\ncompanies: {_flow(companies)}\n---\n"
    )
    return f"{slug}.md", front + writer.body(companies) + "\n"


def prepare(out: Path) -> None:
    """Make `out` an empty benchmark folder with the project's templates, static files and data."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        sys.exit(f"error: {out} is not empty and was not made by this script; choose another folder")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by benchmarks/generate.py; may be deleted and rewritten\n")
    for name in ("content", "seeds", "templates", "static", "data"):
        shutil.rmtree(out / name, ignore_errors=True)
    for name in ("templates", "static", "data"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, out / name)
        else:
            (out / name).mkdir()
    (out / "seeds").mkdir()
    (out / "content").mkdir()
    (out / "site.toml").write_text(f'base_url = "{BASE_URL}"\n')


def write_articles(content: Path, start: int, stop: int, seed: int = DEFAULT_SEED) -> None:
    """Write articles number `start` to `stop` - 1 into `content`."""
    for number in range(start, stop):
        name, text = article(number, seed)
        with open(content / name, "wb") as handle:
            handle.write(text.encode("utf-8"))


def _write_chunk(job: tuple[Path, int, int, int]) -> None:
    write_articles(*job)


def generate(count: int, out: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write an archive of `count` articles into `out`; returns its content folder."""
    prepare(out)
    content = out / "content"
    workers = os.cpu_count() or 1
    if count < 2000 or workers == 1:
        write_articles(content, 0, count, seed)
        return content
    # Articles are independent, so processes can share the work without changing a byte.
    step = 1000
    jobs = [(content, i, min(i + step, count), seed) for i in range(0, count, step)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for _ in pool.imap_unordered(_write_chunk, jobs):
            pass
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="folder to write (created; cleared if made by this script)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("N must be at least 0")
    generate(args.count, args.out, args.seed)
    print(f"wrote {args.count} articles to {os.path.join(args.out, 'content')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
