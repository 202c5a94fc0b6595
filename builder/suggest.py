"""`newsarchive suggest`: the companies the tagger found that the registry lacks, as a report
with ready-to-paste registry lines."""

from __future__ import annotations

from collections import Counter

import yaml

from builder.tagging import Tags
from builder.urls import slugify


def suggestions_report(tags_by_article: dict[str, Tags]) -> str:
    """The discovered and suggested company names with their article counts, and YAML to paste."""
    discovered = Counter(n for tags in tags_by_article.values() for n in tags.discovered)
    suggested = Counter(n for tags in tags_by_article.values() for n in tags.suggested)
    for name in discovered:
        suggested.pop(name, None)
    if not discovered and not suggested:
        return "No unknown companies found: every company named is in data/companies.yaml.\n"
    lines = []
    for title, counts in (
        ("Discovered (tagged; not yet in data/companies.yaml)", discovered),
        ("Suggested (not tagged; review)", suggested),
    ):
        if counts:
            lines.append(f"{title}:")
            where = {
                n: sorted(s for s, t in tags_by_article.items() if n in t.discovered + t.suggested) for n in counts
            }
            lines += [
                f"  {n}  ({c} article{'s' if c != 1 else ''}: {', '.join(where[n][:3])}"
                f"{', …' if len(where[n]) > 3 else ''})"
                for n, c in _by_count(counts)
            ]
            lines.append("")
    names = [n for n, _ in _by_count(discovered + suggested)]
    lines.append("Companies: paste into data/companies.yaml (delete the ones that are not companies):")
    parents = {name: parent for tags in tags_by_article.values() for name, parent in tags.parents}
    lines += [
        f"- {{name: {_yaml_scalar(n)}, slug: {slugify(n)}"
        + (f", parent: {_yaml_scalar(parents[n])}" if n in parents else "")
        + "}"
        for n in names
    ]
    lines.append("")
    lines.append("Not companies: paste under `deny:` in data/deny.yaml:")
    lines += [f"  - {_yaml_scalar(n)}" for n in names]
    return "\n".join(lines) + "\n"


def _by_count(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def _yaml_scalar(value: str) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=1000).removesuffix("\n...\n").strip()
