#!/usr/bin/env python3
"""The report page is safe to send and well-formed (SPEC §6.7):

  test_structure.py KARTOTEKA EXAMPLES_DIR HERE_DIR

- HTML5 head as the spec writes it; CSS in exactly one <style>; nothing a browser would fetch:
  no <script, src=, url(, @import, <link, and no href but in-page anchors;
- it names no patient: no name (nor any word of one), phone (as written or normalised),
  e-mail or non-numeric card number of the patients file appears anywhere in the page;
- every <svg> is well-formed XML (xmllint), every bar, dot and cell of a chart has a <title>, no
  coordinate is NaN or infinite; the whole page is well-formed XML but for its HTML5 doctype
  and <meta> (xmllint);
- an empty clinic (no counted visit) gives a page that says so and draws no chart.
"""
import csv
import html
import io
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

K, EXAMPLES, HERE = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
AS_OF = "2026-11-22"
failures = []
SVG_NS = "{http://www.w3.org/2000/svg}"


def fail(msg):
    failures.append(msg)


def page_of(d, *extra):
    r = subprocess.run([K, "report", "--patients", str(d / "patients.csv"), "--visits",
                        str(d / "visits.csv"), "--as-of", AS_OF, "--quiet", *extra],
                       capture_output=True, check=False)
    if r.returncode != 0:
        raise SystemExit(f"report on {d}: exit {r.returncode}: {r.stderr.decode()}")
    return r.stdout.decode("utf-8")


def read_patients(path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")
    first = text.splitlines()[0]
    delim = max(";,\t|", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    head = [h.strip().lower() for h in rows[0]]

    def col(*names):
        return next((i for i, h in enumerate(head) if h in names), None)

    ic = col("id", "номер карты")
    inm = col("name", "фио")
    iph = col("phone", "телефон")
    iem = col("email")
    return [{"id": r[ic].strip(), "name": r[inm].strip() if inm is not None else "",
             "phone": r[iph].strip() if iph is not None else "",
             "email": r[iem].strip() if iem is not None else ""} for r in rows[1:] if r]


def identifiers(p):
    """The strings of one patient that must never appear on the page."""
    out = []
    if p["name"]:
        out.append(p["name"])
        out += [w for w in p["name"].split() if len(w) >= 3]
    if p["email"]:
        out.append(p["email"])
    for number in re.split(r"[,;]", p["phone"]):
        number = number.strip()
        digits = re.sub(r"\D", "", number)
        if len(digits) >= 10:
            out += [number, digits, digits[-10:], "+7" + digits[-10:]]
    if p["id"] and not p["id"].isdigit():
        out.append(p["id"])
    return out


def check_privacy(label, page, patients):
    text = html.unescape(page)
    for p in patients:
        for s in identifiers(p):
            if re.search(r"(?<![\w+-])" + re.escape(s) + r"(?![\w-])", text):
                fail(f"{label}: the page names a patient: {s!r}")


def check_self_contained(label, page):
    if not page.startswith('<!doctype html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'):
        fail(f"{label}: not the HTML5 head of §6.7: {page[:80]!r}")
    low = page.lower()
    for bad in ("<script", "src=", "url(", "@import", "<link", "<img", "<iframe", "<object",
                "<embed", "javascript:"):
        if bad in low:
            fail(f"{label}: contains {bad}")
    for href in re.findall(r'href\s*=\s*["\']?([^"\' >]*)', low):
        if not href.startswith("#"):
            fail(f"{label}: href outside the page: {href}")
    for tag in re.findall(r"<table\b[^>]*>", page):
        if not re.fullmatch(r'<table data-table="[a-z_]+">', tag):
            fail(f"{label}: a table tag other than <table data-table=\"NAME\">: {tag}")
    for tag in re.findall(r"<t[hd]\b[^>]*>", page):
        if not re.fullmatch(r'<th data-key="[^"]*">|<td data-value="[^"]*">', tag):
            fail(f"{label}: a cell tag other than <th data-key=…> / <td data-value=…>: {tag}")
    if low.count("<style") != 1:
        fail(f"{label}: {low.count('<style')} <style> elements, expected one")


def xmllint(label, text):
    with tempfile.NamedTemporaryFile("w", suffix=".xml", encoding="utf-8", delete=False) as f:
        f.write(text)
    r = subprocess.run(["xmllint", "--noout", f.name], capture_output=True, text=True)
    Path(f.name).unlink()
    if r.returncode != 0:
        fail(f"{label}: xmllint: {r.stderr[:500]}")
    return r.returncode == 0


def check_svgs(label, page):
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    for i, svg in enumerate(svgs):
        if not xmllint(f"{label}: svg {i}", svg):
            continue
        root = ET.fromstring(svg)
        for el in root.iter():
            if el.tag in (SVG_NS + "rect", SVG_NS + "circle"):
                t = el.find(SVG_NS + "title")
                if t is None or not (t.text or "").strip():
                    fail(f"{label}: svg {i}: a {el.tag[len(SVG_NS):]} without a <title>")
            for k, v in el.attrib.items():
                if re.search(r"nan|inf", v, flags=re.I) and k not in ("aria-label",):
                    fail(f"{label}: svg {i}: {k}={v!r}")
    xhtml = page.replace("<!doctype html>", "<!DOCTYPE html>", 1).replace(
        '<meta charset="utf-8">', '<meta charset="utf-8"/>', 1)
    xmllint(f"{label}: the whole page as XML", xhtml)
    return len(svgs)


cases = [(EXAMPLES / "canonical", []), (EXAMPLES / "1c", []),
         (EXAMPLES / "canonical", ["--title", 'Клиника «Улыбка» & <Ко> "1"', "--cashback", "5"]),
         (HERE / "handmade", ["--months", "3", "--after", "30", "--lost-after", "800"]),
         # Branch names and a title that read like markup, a script, a fetch: text on the page.
         (HERE / "hostile", ["--title", '<script src="x.js"></script> url(a) @import b <a href="http://x">'])]
for d, extra in cases:
    label = f"{d.name} {' '.join(extra)}"
    page = page_of(d, *extra)
    check_self_contained(label, page)
    check_privacy(label, page, read_patients(d / "patients.csv"))
    if check_svgs(label, page) < (6 if d.name == "hostile" else 8):
        fail(f"{label}: fewer charts than expected")
    if "нет ни одного выполненного визита" in page:
        fail(f"{label}: says the clinic is empty")

# The title is text, escaped: never markup.
page = page_of(EXAMPLES / "canonical", "--title", "<b>x</b>")
if "<b>x</b>" in page or "&lt;b&gt;x&lt;/b&gt;" not in page:
    fail("the title is not escaped")

# An empty clinic: patients, but no counted visit (a planned and a cancelled row).
page = page_of(HERE / "empty")
check_self_contained("empty", page)
check_privacy("empty", page, read_patients(HERE / "empty" / "patients.csv"))
if "нет ни одного выполненного визита" not in page:
    fail("empty: the page does not say that there are no visits")
if check_svgs("empty", page) != 2:  # activity and branches: two prospects, no branch
    fail("empty: charts drawn from nothing")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("report pages are self-contained, anonymous and well-formed")
