"""Which table is this? Recognised by what its title says, never by its printed number."""

from __future__ import annotations

import re

from etl.read.tokens import clean
from etl.tables.kinds import BOTH, KINDS, UNRECOGNISED, family_of_title

# Ordered as the registry lists the kinds: the first pattern whose words all occur in the title wins; a title
# is matched against the kinds of its own family only (kinds.family_of_title).
_RULES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    family: [(words, k.key) for k in KINDS if family in k.families for words in k.titles] for family in BOTH}

# A table's printed number: 表一, 表1, 预算公开表1, 部门公开表9, 附表1, 附表1-1 … Digits end at a separator (表1：, 表1 )
# so that 表12024年… is never read as 表12024; a Chinese numeral may run straight into the title (表一2024年…).
_PREFIX = r"(?:(?:部门|单位)?(?:预算|决算)?公开|附)?表"
_NUMBER = r"(?P<no>\d{1,3}(?:\s*[-－—]\s*\d{1,3})?(?!\d)|[一二三四五六七八九十]{1,3})"
_NUMBERED = re.compile(rf"^\s*{_PREFIX}\s*{_NUMBER}(?P<sep>\s*[:：.．、]\s*|\s+|)(?P<rest>\S.*)$")

_TITLE = re.compile(r"(预算|决算|经费|支出|收入|收支|拨款|采购|绩效)[^，。；：:]{0,40}表(（[^）]{1,12}）|\([^)]{1,12}\))?\s*$")


def split_number(text: str) -> tuple[str | None, str]:
    """A caption that prints its number before the title (表1：2023年部门收支总表, 附表1-1 …) → (number as printed,
    title); any other text → (None, text). The kind is named by the words after the number, never by the number:
    templates number the same table differently."""
    m = _NUMBERED.match(text)
    if m is None or (m.group("no")[0].isdigit() and not m.group("sep")):
        return None, text
    rest = m.group("rest").strip()
    if not _TITLE.search(rest):
        return None, text
    return re.sub(r"\s+", "", m.group("no")).replace("－", "-").replace("—", "-"), rest


def looks_like_title(text: str) -> bool:
    """A caption line: short, ends in …表 (optionally a bracketed qualifier), not a sentence or a TOC entry."""
    s = text.strip()
    if not s or len(s) > 60 or "…" in s or "..." in s or "。" in s or "，" in s:
        return False
    if re.match(r"^(注|说明|备注)[:：]|^第[一二三四五六七八九十]+部分", s):
        return False
    return bool(_TITLE.search(s))


def classify(title: str) -> str:
    """The kind a title names (kinds.UNRECOGNISED when none): a printed number before it is left out."""
    t = clean(split_number(title)[1])
    for words, kind in _RULES[family_of_title(t)]:
        if all(w in t for w in words):
            return kind
    return UNRECOGNISED
