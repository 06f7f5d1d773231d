"""The 质量监控 ribbon tab (customUI, 2009/07 namespace), generated from the action registry."""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..action import GROUPS
from ..locale import LANGS, action_text, group_label
from ..registry import ACTIONS

NS = "http://schemas.microsoft.com/office/2009/07/customui"
CALLBACK = "QB_OnAction"  # the one VBA callback every button calls (QualityBook.bas)
PART = "customUI/customUI14.xml"
REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


def ribbon_xml(lang: str = "zh") -> bytes:
    actions = ACTIONS
    groups = []
    for g in GROUPS:
        buttons = []
        for a in actions.values():
            if a.group != g or not a.ribbon:
                continue
            label, tip = action_text(a.name, lang)
            buttons.append(
                f'<button id="qb_{a.name}" tag="{a.name}" label={quoteattr(label)} imageMso="{a.icon}" '
                f'size="large" screentip={quoteattr(label)} supertip={quoteattr(tip)} onAction="{CALLBACK}"/>')
        groups.append(f'<group id="qb_grp_{g}" label={quoteattr(group_label(g, lang))}>' + "".join(buttons) + "</group>")
    tab = LANGS[lang].TAB
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<customUI xmlns="{NS}"><ribbon><tabs>'
           f'<tab id="qb_tab" label={quoteattr(tab)}>' + "".join(groups) + "</tab></tabs></ribbon></customUI>")
    return xml.encode("utf-8")
