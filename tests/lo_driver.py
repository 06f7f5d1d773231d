"""Drive headless LibreOffice through its Python UNO bridge (run with the system python3 that has ``uno``).

    python3 lo_driver.py modules BOOK            → {"libraries": {lib: [modules]}}
    python3 lo_driver.py run BOOK A1 A2 ... [KEY=VALUE ...]
                                                 → {"A1": [kind, argument], ...}   (RunAction per action)
    python3 lo_driver.py frozen BOOK EXE ACTION  → [kind, argument] with the executable configured
    python3 lo_driver.py configured BOOK ACTION KEY=VALUE ...
                                                 → [kind, argument] with those rows set on _xlwings.conf
    python3 lo_driver.py cells BOOK SHEET RANGE  → the range's strings after a recalculation
    python3 lo_driver.py fill BOOK OUT SHEET CELL=VALUE ...
                                                 → protection and validation as LibreOffice sees them, then
                                                   the cells set as a user types them, saved as .xlsx to OUT
    python3 lo_driver.py kinds BOOK SHEET CELL ... → {cell: [content type, formula, string]}

Prints one JSON document on stdout.  Each call starts its own soffice with a fresh profile.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


class Office:
    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="qb-lo-")
        self.pipe = "qb" + str(os.getpid())
        self.proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             f"-env:UserInstallation=file://{self.profile}", f"--accept=pipe,name={self.pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.25)
        else:
            raise RuntimeError("LibreOffice did not start")
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        return self

    def open(self, path):
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = self.desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("MacroExecutionMode", 4)))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {path}")
        return doc

    def __exit__(self, *exc):
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def modules(doc):
    libs = doc.BasicLibraries
    out = {}
    for name in libs.getElementNames():
        libs.loadLibrary(name)
        out[name] = sorted(libs.getByName(name).getElementNames())
    return {"libraries": out}


def call(doc, sub, *args):
    url = f"vnd.sun.star.script:VBAProject.QualityBook.{sub}?language=Basic&location=document"
    return doc.getScriptProvider().getScript(url).invoke(tuple(args), (), ())


def recorded(doc):
    sheet = doc.Sheets.getByName("_xlwings.conf")
    return [sheet.getCellRangeByName("D1").getString(), sheet.getCellRangeByName("D2").getString()]


def configure(doc, settings):
    """Rows of the configuration sheet: a key's row where it has one, else the first empty row."""
    conf = doc.Sheets.getByName("_xlwings.conf")
    for key, value in settings.items():
        rows = [r for r in range(50) if conf.getCellByPosition(0, r).getString() == key]
        r = rows[0] if rows else next(r for r in range(50) if not conf.getCellByPosition(0, r).getString())
        conf.getCellByPosition(0, r).setString(key)
        conf.getCellByPosition(1, r).setString(value)


def fill(doc, out, sheet_name, assignments):
    """What a department sees and does in its workbook: which cells are locked, what the sheet accepts, then
    typing into the open cells (a leading = makes a formula, as in the user interface) and saving as .xlsx."""
    sheet = doc.Sheets.getByName(sheet_name)
    facts = {"protected": sheet.isProtected(), "locked": {}, "validation": {}}
    for item in assignments:
        name, value = item.split("=", 1)
        cell = sheet.getCellRangeByName(name)
        facts["locked"][name] = cell.CellProtection.IsLocked
        facts["validation"][name] = cell.Validation.Type.value
    sheet.unprotect("")  # the API writes past protection only once it is lifted; the user typed into open cells
    for item in assignments:
        name, value = item.split("=", 1)
        cell = sheet.getCellRangeByName(name)
        try:
            cell.setValue(float(value))
        except ValueError:
            cell.setFormula(value) if value.startswith("=") else cell.setString(value)
    sheet.protect("")
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)), (prop("FilterName", "Calc MS Excel 2007 XML"),))
    return facts


def main(argv):
    cmd, book = argv[0], argv[1]
    with Office() as office:
        doc = office.open(book)
        try:
            if cmd == "modules":
                result = modules(doc)
            elif cmd == "run":
                result = {}
                configure(doc, dict(a.split("=", 1) for a in argv[2:] if "=" in a))
                for action in [a for a in argv[2:] if "=" not in a]:
                    call(doc, "RunAction", action)
                    result[action] = recorded(doc)
            elif cmd == "frozen":
                configure(doc, {"QualityBook Executable": argv[2]})
                call(doc, "RunAction", argv[3])
                result = recorded(doc)
            elif cmd == "configured":
                configure(doc, dict(a.split("=", 1) for a in argv[3:]))
                call(doc, "RunAction", argv[2])
                result = recorded(doc)
            elif cmd == "cells":
                doc.calculateAll()
                rng = doc.Sheets.getByName(argv[2]).getCellRangeByName(argv[3])
                result = [list(row) for row in rng.getDataArray()]
            elif cmd == "fill":
                result = fill(doc, argv[2], argv[3], argv[4:])
            elif cmd == "kinds":
                sheet = doc.Sheets.getByName(argv[2])
                result = {}
                for name in argv[3:]:
                    c = sheet.getCellRangeByName(name)
                    result[name] = [c.getType().value, c.getFormula(), c.getString()]
            else:
                raise SystemExit(f"unknown command {cmd}")
        finally:
            doc.close(True)
    print(json.dumps(result, default=str))  # ASCII: a cell text holding U+2028 or \x85 stays on one line


if __name__ == "__main__":
    main(sys.argv[1:])
