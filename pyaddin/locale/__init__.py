"""User-facing text, one module per language (zh.py, en.py); code asks for keys, never for sentences."""
from __future__ import annotations

import os

from . import en, zh

LANGS = {"zh": zh, "en": en}
_chosen = {"override": None, "book": None}


def choose(lang: str | None) -> None:
    """The language a person asked for (``--lang``): it wins over the workbook's."""
    _chosen["override"] = lang if lang in LANGS else None


def follow_book(lang: str) -> None:
    """The language of the workbook being worked on: messages speak it unless a person chose otherwise."""
    _chosen["book"] = lang if lang in LANGS else None


def current() -> str:
    """--lang, else QUALITYBOOK_LANG, else the workbook's language, else Chinese."""
    env = os.environ.get("QUALITYBOOK_LANG", "").strip().lower()
    return _chosen["override"] or (env if env in LANGS else None) or _chosen["book"] or "zh"


def listing(items) -> str:
    """Items joined as the person's language lists them (、 in Chinese, a comma in English)."""
    return text("list_sep", current()).join(str(i) for i in items)


def say(key: str, **kw) -> str:
    """A message for the person in front of it, in their language."""
    return text(key, current(), **kw)


def text(key: str, lang: str = "zh", **kw) -> str:
    """One message in one language, filled with ``kw``."""
    return LANGS[lang].MESSAGES[key].format(**kw)


def both(key: str, **kw) -> str:
    """Chinese and English together: for what is stored in the workbook (the rejects table's reasons)."""
    return f"{text(key, 'zh', **kw)}\n{text(key, 'en', **kw)}"


def metric_name(metric: str, lang: str = "zh") -> str:
    return LANGS[lang].METRICS.get(metric, metric)


def action_text(action: str, lang: str = "zh") -> tuple[str, str]:
    """(label, screen tip) of a ribbon action."""
    return LANGS[lang].ACTIONS[action]


def group_label(group: str, lang: str = "zh") -> str:
    return LANGS[lang].GROUPS[group]


def setting_name(key: str, lang: str = "zh") -> str:
    if key.startswith("service_hours_"):  # one per channel, named after the channel's label
        from ..schema import CHANNEL

        return LANGS[lang].SETTINGS["service_hours"].format(channel=CHANNEL.label(key[len("service_hours_"):], lang))
    return LANGS[lang].SETTINGS.get(key, key)


def guide(lang: str = "zh") -> list[tuple[str, str]]:
    return LANGS[lang].GUIDE
