"""Which table is this? Recognised by what its title says, never by its printed number."""

from __future__ import annotations

import re

from etl.read.tokens import clean
from etl.tables.kinds import BOTH, KINDS, UNRECOGNISED, family_of_title

# Ordered as the registry lists the kinds: the first pattern whose words all occur in the title wins; a title
# is matched against the kinds of its own family only (kinds.family_of_title).
_RULES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    family: [(words, k.key) for k in KINDS if family in k.families for words in k.titles] for family in BOTH}

_TITLE = re.compile(r"(预算|决算|经费|支出|收入|收支|拨款|采购|绩效)[^，。；：:]{0,40}表(（[^）]{1,12}）|\([^)]{1,12}\))?\s*$")


def looks_like_title(text: str) -> bool:
    """A caption line: short, ends in …表 (optionally a bracketed qualifier), not a sentence or a TOC entry."""
    s = text.strip()
    if not s or len(s) > 60 or "…" in s or "..." in s or "。" in s or "，" in s:
        return False
    if re.match(r"^(注|说明|备注)[:：]|^第[一二三四五六七八九十]+部分", s):
        return False
    return bool(_TITLE.search(s))


def classify(title: str) -> str:
    t = clean(title)
    for words, kind in _RULES[family_of_title(t)]:
        if all(w in t for w in words):
            return kind
    return UNRECOGNISED
