"""User-facing text, one module per language (zh.py, en.py); code asks for keys, never for sentences."""
from __future__ import annotations

from . import en, zh

LANGS = {"zh": zh, "en": en}


def text(key: str, lang: str = "zh", **kw) -> str:
    """One message in one language, filled with ``kw``."""
    return LANGS[lang].MESSAGES[key].format(**kw)


def both(key: str, **kw) -> str:
    """A message for a person: Chinese first, then English, as the brief asks for bad input."""
    return f"{text(key, 'zh', **kw)}\n{text(key, 'en', **kw)}"


def metric_name(metric: str, lang: str = "zh") -> str:
    return LANGS[lang].METRICS.get(metric, metric)


def action_text(action: str, lang: str = "zh") -> tuple[str, str]:
    """(label, screen tip) of a ribbon action."""
    return LANGS[lang].ACTIONS[action]


def group_label(group: str, lang: str = "zh") -> str:
    return LANGS[lang].GROUPS[group]


def setting_name(key: str, lang: str = "zh") -> str:
    return LANGS[lang].SETTINGS.get(key, key)


def guide(lang: str = "zh") -> list[tuple[str, str]]:
    return LANGS[lang].GUIDE
