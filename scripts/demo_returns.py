"""Act as two departments filling in the workbooks `qualitybook distribute` sent them (for `make demo`).

技术部 returns its action done, dated on the deadline it had long passed (held for the quality team to
confirm, §10).  客服中心 moves an action forward, types a formula into the evidence cell (kept as text) and adds
a suggestion on its 一线反馈 sheet (appended to the master's).
物流配送部, which owns the logistics problem's root causes (责任分工), confirms one with its evidence but
also changes a locked cell (another cause's wording) after lifting the sheet protection: that row is sent
back on collection, the rest merged.  The other departments do not return their files.  Edited with
openpyxl, saved under the department's name as Excel would.

    python scripts/demo_returns.py OUTDIR RETURNS_DIR
"""
from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import openpyxl


def fill(src: Path, dst: Path, department: str, edit) -> None:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.properties.lastModifiedBy = department
    wb.save(dst)


def column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def row_of(ws, item: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == item)


def tech(wb) -> None:
    ws = wb["改进计划"]
    r = row_of(ws, "A002")
    ws.cell(row=r, column=column(ws, "进度%"), value=100)
    ws.cell(row=r, column=column(ws, "状态"), value="已完成")
    ws.cell(row=r, column=column(ws, "实际完成日期"), value=dt.datetime(2026, 9, 5))
    ws.cell(row=r, column=column(ws, "完成证据"), value="快捷入口已上线,见版本说明 v3.2")


def service(wb) -> None:
    ws = wb["改进计划"]
    r = row_of(ws, "A003")
    ws.cell(row=r, column=column(ws, "进度%"), value=80)
    ws.cell(row=r, column=column(ws, "完成证据"), value='=HYPERLINK("http://intranet/train","培训签到表")')
    fb = wb["一线反馈"]  # its staff's voice, appended to the master's 一线反馈 on collection
    for c, value in enumerate((dt.datetime(2026, 9, 28), "张娜", "改进建议", "夜班咨询物流的客户多,建议夜班话术加入物流时效查询步骤"),
                              start=1):
        fb.cell(row=2, column=c, value=value)  # the first of its open rows


def logistics(wb) -> None:
    rc = wb["根因分析"]
    rc.protection.sheet = False  # what a user does to type over a locked cell
    rc.cell(row=3, column=column(rc, "原因"), value="系统原因,与本部门无关")
    rc.cell(row=2, column=column(rc, "验证证据"), value="夜班排班表与分时段咨询量对照")


def main(outdir: str, returns: str) -> None:
    src, dst = Path(outdir), Path(returns)
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    for f in sorted(src.glob("*.xlsx")):
        if f.stem.endswith("_技术部"):
            fill(f, dst / f.name, "技术部", tech)
        elif f.stem.endswith("_客服中心"):
            fill(f, dst / f.name, "客服中心", service)
        elif f.stem.endswith("_物流配送部"):
            fill(f, dst / f.name, "物流配送部", logistics)
    print(f"returned: {', '.join(p.name for p in sorted(dst.iterdir()))}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
