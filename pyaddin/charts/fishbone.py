"""The 6M fishbone diagram (鱼骨图) of one problem, drawn with matplotlib as a PNG.

Chinese labels need a CJK font: the first of the well-known ones installed is used (Noto Sans
CJK on Linux, Microsoft YaHei or SimHei on Windows).  Long texts are wrapped by display width
(a Chinese character counts two) so that nothing runs into the next bone.
"""
from __future__ import annotations

import io
import unicodedata

from ..core.pdca import root_cause

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei",
             "SimHei", "PingFang SC", "WenQuanYi Micro Hei", "Heiti SC")
BONES = (("man", "人"), ("machine", "机"), ("material", "料"), ("method", "法"), ("environment", "环"),
         ("measurement", "测"))
MAX_CAUSES = 5


def cjk_font() -> str | None:
    """The name of an installed font that has Chinese glyphs, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns (a wide character takes two)."""
    lines, line, w = [], "", 0
    for ch in str(text):
        cw = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if w + cw > width and line:
            lines.append(line)
            line, w = "", 0
        line += ch
        w += cw
    return lines + ([line] if line else [])


def draw(problem: str, causes, lang: str = "zh") -> bytes:
    """PNG bytes of the fishbone: the problem at the head, a bone per 6M dimension with its causes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..locale import LANGS
    from ..schema import SIX_M

    font = cjk_font()
    rc = {"font.family": [font] if font else ["sans-serif"], "axes.unicode_minus": False}
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(16, 9), dpi=100)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 66)
        ax.axis("off")
        ax.annotate("", xy=(83, 30), xytext=(4, 30), arrowprops={"arrowstyle": "-|>", "lw": 3, "color": "#1F4E78"})
        head = "\n".join(wrap(problem, 20)[:6])
        ax.text(84, 30, head, va="center", ha="left", fontsize=12, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.6", "fc": "#FCE4D6", "ec": "#C55A11"})
        for k, (key, _) in enumerate(BONES):
            up = k < 3
            x0 = 14 + (k % 3) * 23
            y_end = 54 if up else 6
            ax.plot([x0, x0 + 12], [y_end, 30], color="#1F4E78", lw=2)
            label = SIX_M.label(key, lang) + ("" if lang == "zh" else f" ({SIX_M.label(key, 'zh')})")
            ax.text(x0 - 1, y_end + (1.5 if up else -1.5), label, ha="center", va="bottom" if up else "top",
                    fontsize=13, fontweight="bold", color="#1F4E78",
                    bbox={"boxstyle": "round,pad=0.3", "fc": "#DDEBF7", "ec": "#1F4E78"})
            mine = causes[causes["dimension"] == key] if len(causes) else causes
            lines = []
            for c in mine.head(MAX_CAUSES).itertuples(index=False):
                v = getattr(c, "verified", None)
                mark = "✓ " if v is not None and v == v and bool(v) else "• "
                why = root_cause((c.why1, c.why2, c.why3, c.why4, c.why5))
                text = f"{mark}{c.cause}" + (f"({LANGS[lang].FISHBONE['why']}{why})" if why else "")
                lines += wrap(text, 26)[:3]
            if len(mine) > MAX_CAUSES:
                lines.append(LANGS[lang].FISHBONE["more"].format(n=len(mine) - MAX_CAUSES))
            step = 2.6
            for j, line in enumerate(lines[:9]):
                y = (50 - j * step) if up else (23 - j * step)
                frac = (y - y_end) / (30 - y_end)
                ax.text(x0 + 12 * frac + 1, y, line, ha="left", va="center", fontsize=9.5)
        ax.text(2, 65, LANGS[lang].FISHBONE["title"], fontsize=15, fontweight="bold", color="#1F4E78", va="top")
        ax.text(2, 1, LANGS[lang].FISHBONE["legend"], fontsize=9, color="#595959")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
        plt.close(fig)
    return buf.getvalue()
