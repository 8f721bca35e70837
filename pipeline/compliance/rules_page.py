"""``docs/rules.md``, generated from the rule catalog (``rules.yml``)::

python -m pipeline.compliance.rules_page --docs docs/rules.md          # regenerate
python -m pipeline.compliance.rules_page --docs docs/rules.md --check  # exit 1 when stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.compliance.loading import load_rules
from pipeline.compliance.rules import (
    DOCS_COMMAND,
    DOCS_PATH,
    LANGUAGE,
    RULES_PATH,
    SUBJECTS,
    Catalog,
    CatalogError,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_docs(catalog: Catalog) -> str:
    """docs/rules.md for ``catalog``."""
    out = [
        "# Compliance rules: statutory disclosure deadlines",
        "",
        "<!-- Generated from pipeline/compliance/rules.yml; do not edit by hand. -->",
        "Generated from `pipeline/compliance/rules.yml` by",
        f"`{DOCS_COMMAND}`. Do not edit by hand: edit the catalog and",
        "regenerate (`--check` exits 1 when this page is stale).",
        "",
        "Each rule names its legal basis, when it is in force, which archived items it covers,",
        "what one verdict is about and its deadline. **Unverified** means the article number or",
        "the quoted wording has not yet been compared with the official text.",
        "",
        "| id | title | legal basis | deadline | effective | severity | verification |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in catalog.rules:
        status = "unverified" if rule.needs_verification else "verified"
        out.append(
            "| "
            + " | ".join(
                _cell(c)
                for c in (
                    f"[{rule.id}](#{rule.id.lower()})",
                    f"{rule.title.zh}<br>{rule.title.en}",
                    rule.legal_basis.citation(),
                    rule.deadline.words(),
                    rule.effective.words(),
                    rule.severity,
                    status,
                )
            )
            + " |"
        )
    out += ["", "## Rules", ""]
    for rule in catalog.rules:
        basis = rule.legal_basis
        out += [
            f"### {rule.id}",
            "",
            f"**{rule.title.zh}** — {rule.title.en}",
            "",
            f"- legal basis: {basis.law}"
            + (f" {basis.doc_number}" if basis.doc_number else "")
            + f" ({basis.year}) {basis.article}",
            f"- quote: 「{basis.quote}」",
            f"- effective: {rule.effective.words()}",
            f"- covers: {rule.covers.words()}",
            f"- subject: `{rule.subject}` — {SUBJECTS[rule.subject]}",
            f"- deadline: {rule.deadline.words()} (`{rule.deadline.kind}`"
            + (", missing when absent" if rule.deadline.when_absent == "missing" else "")
            + ")",
        ]
        for proxy in rule.proxies:
            plus = f" + {proxy.plus_working_days} working days" if proxy.plus_working_days else ""
            out.append(f"- proxy: `{proxy.for_field}` unknown → `{proxy.use}`{plus}: {proxy.why}")
        if rule.unless:
            out.append(f"- no verdict when known: {', '.join(f'`{f}`' for f in rule.unless)}")
        if rule.yields_to:
            others = ", ".join(rule.yields_to)
            out.append(f"- yields to: {others} (they judge the items they cover)")
        out += [
            f"- severity: {rule.severity}",
            f"- needs verification: {'yes' if rule.needs_verification else 'no'}",
            f"- note: {rule.note}",
            "",
        ]
    out += ["## The deadline expression language", "", LANGUAGE.rstrip(), ""]
    out += [
        "## Fields the deadlines name",
        "",
        "| field | 名称 | source | meaning |",
        "|---|---|---|---|",
    ]
    for f in catalog.fields.values():
        out.append(f"| `{f.name}` | {f.label} | `{f.source}` | {_cell(f.description)} |")
    out += ["", "Subjects: " + "; ".join(f"`{k}` {v}" for k, v in SUBJECTS.items()) + ".", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.compliance.rules",
        description="Validate the compliance rule catalog and generate docs/rules.md.",
    )
    parser.add_argument("--rules", type=Path, default=RULES_PATH, help="the catalog to read")
    parser.add_argument("--docs", type=Path, help="write the documentation page here")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the page differs from the catalog"
    )
    args = parser.parse_args(argv)
    try:
        catalog = load_rules(args.rules)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 2
    if args.docs is None and not args.check:
        print(f"{len(catalog.rules)} rules, valid")
        return 0
    docs = args.docs or DOCS_PATH
    text = render_docs(catalog)
    if args.check:
        current = docs.read_text(encoding="utf-8") if docs.is_file() else None
        if current != text:
            print(f"{docs} is stale: run {DOCS_COMMAND}", file=sys.stderr)
            return 1
        print(f"{docs} is up to date ({len(catalog.rules)} rules)")
        return 0
    docs.write_text(text, encoding="utf-8")
    print(f"wrote {docs} ({len(catalog.rules)} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
