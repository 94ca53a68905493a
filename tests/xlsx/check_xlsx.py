#!/usr/bin/python3
"""check_xlsx.py KARTOTEKA UNIT_TESTS EXAMPLES_DIR — `--format xlsx` read back with openpyxl.

Every list of every command on the example exports is written as csv and as xlsx, and each cell
of the workbook is compared with the csv cell: value and type (SPEC §3, §8.39, §8.61), by rules
written out here independently of the program — numeric titles are numbers (counts `0`, money
`#,##0.00`, other decimals General), date titles real dates shown `dd.mm.yyyy`, boolean titles
booleans, everything else strings (`000123`, `+79161234567`, `=1+2` stay text), empty = no value.
Also: sheet named after the command, bold frozen header, autofilter over the data, widths ≤ 60,
a 10^5-row file (its zip deflated at level 1), identical bytes twice (other TZ, a comma LC_ALL), mode 0600 for -o, a usage
error on a terminal. Exit 77 (ctest: skipped) when openpyxl is missing.
"""
import csv
import datetime
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile

try:
    import openpyxl
except ImportError:
    print("python3-openpyxl is not installed: skipped")
    sys.exit(77)

K, UNIT, EXAMPLES = sys.argv[1:4]
AS_OF = "2026-11-22"

# SPEC §8.39 (and §8.51's additions), typed out from the spec, not taken from the program.
COUNTS = set("""visits age birth_month birth_day days_to_birthday days_since_first_visit
    days_since_last_visit recency_days frequency r f m days_since days_overdue patients referrals
    segments""".split())
DECIMALS = set("""spent avg_check monetary typical_gap share recency_days_avg frequency_avg
    monetary_sum monetary_avg topup credit welcome topup_total credit_total referred_revenue balance
    expiring earned redeemed expired discount_pct next_tier_gap amount issued outstanding""".split())
MONEY = set("""spent avg_check monetary monetary_sum monetary_avg topup credit welcome topup_total
    credit_total referred_revenue balance expiring earned redeemed expired next_tier_gap amount
    issued outstanding""".split())
DATES = set("""last_visit first_visit date due_date last_service_date next_expiry birth_date
    registered activity_date""".split())
BOOLEANS = {"has_phone", "upcoming", "sms_consent", "purchased"}
NUMBER = re.compile(r"-?\d+(\.\d+)?$")
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d$")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def run(args, env=None, **kw):
    e = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8")
    e.pop("KARTOTEKA_PATIENTS", None)
    e.pop("KARTOTEKA_VISITS", None)
    e.update(env or {})
    return subprocess.run([K] + args, env=e, capture_output=True, **kw)


def col_letter(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def check_cell(where, title, v, cell, dates=DATES):
    if v == "":
        if cell.value is not None:
            fail(f"{where}: empty csv cell, xlsx has {cell.value!r}")
        return
    if (title in COUNTS or title in DECIMALS) and NUMBER.match(v):
        fmt = "0" if title in COUNTS else "#,##0.00" if title in MONEY else "General"
        if cell.data_type != "n" or cell.value != float(v) or cell.number_format != fmt:
            fail(f"{where}: {v} → {cell.value!r} ({cell.data_type}, {cell.number_format}), "
                 f"want a number formatted {fmt}")
    elif title in dates and ISO_DATE.match(v):
        want = datetime.date.fromisoformat(v)
        got = cell.value.date() if isinstance(cell.value, datetime.datetime) else None
        if not cell.is_date or got != want or cell.number_format != "dd.mm.yyyy":
            fail(f"{where}: {v} → {cell.value!r} ({cell.number_format}), want a date dd.mm.yyyy")
    elif title in BOOLEANS and v in ("true", "false"):
        if cell.data_type != "b" or cell.value != (v == "true"):
            fail(f"{where}: {v} → {cell.value!r} ({cell.data_type}), want a boolean")
    elif cell.data_type != "s" or cell.value != v:
        fail(f"{where}: {v!r} → {cell.value!r} ({cell.data_type}), want a string")


def compare(name, args, sheet, more_dates=()):
    """Runs `args` as csv and as xlsx (-o) and compares cell by cell; `more_dates`: titles that are
    dates besides DATES (a --fields date under another title, §3)."""
    r = run(args)
    if r.returncode != 0:
        return fail(f"{name}: csv run failed: {r.stderr.decode()}")
    rows = list(csv.reader(io.StringIO(r.stdout.decode())))
    path = os.path.join(TMP, name + ".xlsx")
    r = run(args + ["--format", "xlsx", "-o", path])
    if r.returncode != 0:
        return fail(f"{name}: xlsx run failed: {r.stderr.decode()}")
    if stat.S_IMODE(os.stat(path).st_mode) != 0o600:
        fail(f"{name}: -o file mode {oct(os.stat(path).st_mode)}")
    ws = openpyxl.load_workbook(path).active
    if ws.title != sheet:
        fail(f"{name}: sheet {ws.title!r}, want {sheet!r}")
    titles = rows[0]
    if ws.max_row != len(rows) or ws.max_column != len(titles):
        fail(f"{name}: {ws.max_row}×{ws.max_column} cells, csv has {len(rows)}×{len(titles)}")
    for c, title in enumerate(titles, 1):
        h = ws.cell(1, c)
        if h.value != title or h.data_type != "s" or not h.font.b:
            fail(f"{name}: header {c} is {h.value!r} (bold {h.font.b}), want bold {title!r}")
        # Stored widths carry libxlsxwriter's 5-pixel padding (+0.71): 60.71 shows as 60.
        width = ws.column_dimensions[col_letter(c)].width
        if not width or width > 60.72:
            fail(f"{name}: column {title} width {width}")
    for i, row in enumerate(rows[1:], 2):
        for c, (title, v) in enumerate(zip(titles, row), 1):
            check_cell(f"{name} {col_letter(c)}{i} ({title})", title, v, ws.cell(i, c),
                       DATES | set(more_dates))
    if ws.freeze_panes != "A2":
        fail(f"{name}: freeze panes {ws.freeze_panes}, want A2")
    want_filter = f"A1:{col_letter(len(titles))}{len(rows)}"
    if ws.auto_filter.ref != want_filter:
        fail(f"{name}: autofilter {ws.auto_filter.ref}, want {want_filter}")
    return len(rows) - 1


TMP = tempfile.mkdtemp(prefix="kartoteka-xlsx-")
try:
    ex = os.path.join(EXAMPLES, "canonical")
    A = ["--patients", f"{ex}/patients.csv", "--visits", f"{ex}/visits.csv", "--as-of", AS_OF,
         "--quiet"]
    # A --from list whose travelling columns hold what a spreadsheet would mangle.
    ids = [row[0] for row in csv.reader(open(f"{ex}/patients.csv", encoding="utf-8"))][1:]
    lst = os.path.join(TMP, "list.csv")
    with open(lst, "w", encoding="utf-8") as f:
        f.write("id,note,card,tel,weird_date\n")
        f.write(f"{ids[0]},=1+2,000123,+79161234567,2026-02-30\n")
        f.write(f"{ids[1]},=HYPERLINK(\"x\"),0,-5,\n")
        f.write(f"{ids[2]},@cmd,12345678901234567890,'x,01.02.2026\n")
    cases = [
        ("segment", ["segment"] + A + ["--fields",
         "birth_date,registered,first_visit,age,days_to_birthday,avg_check,sms_consent,has_phone,"
         "upcoming,categories,services,gender,district"]),
        ("segment-from", ["segment"] + A + ["--from", lst]),
        ("segment-by", ["segment"] + A + ["--by", "gender"]),
        ("rfm", ["rfm"] + A),
        ("rfm-summary", ["rfm"] + A + ["--summary"]),
        ("sleeping", ["sleeping"] + A + ["--after", "30"]),
        ("referrals", ["referrals"] + A),
        ("referrals-summary", ["referrals"] + A + ["--summary"]),
        ("referrals-audit", ["referrals"] + A + ["--audit"]),
        ("ledger", ["bonus-ledger"] + A + ["--cashback", "5"]),
        ("ledger-journal", ["bonus-ledger"] + A + ["--cashback", "5", "--journal"]),
        ("ledger-summary", ["bonus-ledger"] + A + ["--cashback", "5", "--summary"]),
    ]
    total = 0
    for name, args in cases:
        n = compare(name, args, args[0])
        total += n or 0
        print(f"{name}: {n} rows compared")
    # Fields under other titles (§3, §8.39): a date stays a real date ("any --fields date"), a
    # number or boolean is recognised by its exact title only, so `Age` and `Has_Phone` are text.
    n = compare("segment-titles", ["segment"] + A + ["--fields", "Birth_Date,Registered,Age,Has_Phone"],
                "segment", more_dates=("Birth_Date", "Registered"))
    print(f"segment-titles: {n} rows compared")
    c1 = os.path.join(EXAMPLES, "1c")
    n = compare("segment-1c-titles", ["segment", "--patients", f"{c1}/patients.csv", "--visits",
                f"{c1}/visits.csv", "--as-of", AS_OF, "--quiet", "--fields",
                "Дата рождения,Дата регистрации"], "segment",
                more_dates=("Дата рождения", "Дата регистрации"))
    print(f"segment-1c-titles: {n} rows compared")
    if total < 50:
        fail(f"only {total} rows compared: the examples changed?")

    # The same bytes twice: stdout (not a terminal) vs -o, another TZ, a comma locale.
    seg = ["segment"] + A + ["--fields", "avg_check,birth_date,sms_consent", "--format", "xlsx"]
    first = run(seg).stdout
    if run(seg).stdout != first or run(seg, {"TZ": "Asia/Vladivostok"}).stdout != first:
        fail("xlsx bytes differ between identical runs")
    # inspect has no as-of: its workbook still comes out the same a second later (a fixed
    # creation time), on a sheet named after the command.
    ins = ["inspect", "--patients", f"{ex}/patients.csv", "--quiet", "--format", "xlsx"]
    one = run(ins).stdout
    time.sleep(1.1)  # the creation time has whole seconds
    if run(ins).stdout != one:
        fail("inspect: xlsx bytes differ between identical runs a second apart")
    ws = openpyxl.load_workbook(io.BytesIO(one)).active
    if ws.title != "inspect" or ws.cell(1, 1).value != "file":
        fail(f"inspect: sheet {ws.title!r}, first header {ws.cell(1, 1).value!r}")
    locpath = os.path.join(TMP, "locale")
    os.mkdir(locpath)
    have_ru = shutil.which("localedef") and subprocess.run(
        ["localedef", "-i", "ru_RU", "-f", "UTF-8", os.path.join(locpath, "ru_RU.UTF-8")],
        capture_output=True).returncode in (0, 1)  # 1: warnings only
    have_ru = have_ru and os.path.isdir(os.path.join(locpath, "ru_RU.UTF-8"))
    ru = {"LOCPATH": locpath, "LC_ALL": "ru_RU.UTF-8"}
    if have_ru:
        if run(seg, ru).stdout != first:
            fail("xlsx bytes differ under LC_ALL=ru_RU.UTF-8")
        # In-process: the writer under a comma LC_NUMERIC (the unit test checks printf too).
        r = subprocess.run([UNIT, "-tc=xlsx: a comma LC_NUMERIC*"], env=dict(os.environ, **ru),
                           capture_output=True, text=True)
        if r.returncode != 0 or "no comma locale" in r.stdout or "test cases: 1 | 1 passed" not in r.stdout:
            fail(f"unit test under ru_RU.UTF-8: {r.stdout[-400:]}")
    else:
        print("localedef or ru_RU sources missing: comma-locale runs skipped")

    # A 10^5-row list. One name in the middle, in a batch, is the longest (36 characters).
    def big_name(i):
        return f"Пациент {i}" + (" с очень длинным именем" if i == 50000 else "")

    big = os.path.join(TMP, "big")
    os.mkdir(big)
    with open(f"{big}/patients.csv", "w") as f:
        f.write("id,name,phone\n")
        for i in range(100000):
            f.write(f"{i:06d},{big_name(i)},+7916{i:07d}\n")
    with open(f"{big}/visits.csv", "w") as f:
        f.write("visit_id,patient_id,date,amount\nv1,000007,2026-01-02,100.50\n")
    path = os.path.join(TMP, "big.xlsx")
    r = run(["segment", "--patients", f"{big}/patients.csv", "--visits", f"{big}/visits.csv",
             "--as-of", AS_OF, "--format", "xlsx", "-o", path])
    if r.returncode != 0:
        fail(f"10^5 rows: {r.stderr.decode()}")
    else:
        # Past its first 4096 rows a list is written in batches on worker threads and appended
        # in order (io/xlsx_batches.h): every row must be there once, in order, whole.
        wb = openpyxl.load_workbook(path, read_only=True)
        ws = wb.active
        n, bad = 0, []
        for i, row in enumerate(ws.iter_rows(min_row=2, values_only=True)):
            n += 1
            want = ((f"{i:06d}", big_name(i), f"+7916{i:07d}", datetime.datetime(2026, 1, 2), 1,
                     100.5) if i == 7 else (f"{i:06d}", big_name(i), f"+7916{i:07d}", None, 0, 0))
            if tuple(row) != want and len(bad) < 3:
                bad.append((i, row, want))
        if n != 100000 or bad:
            fail(f"10^5 rows: {n} rows; first differences {bad}")
        if ws.calculate_dimension() != "A1:F100001":
            fail(f"10^5 rows: dimension {ws.calculate_dimension()}, want A1:F100001")
        wb.close()
        # Widths, merged over the batches: the longest name (row 50001, in a batch) has 36
        # characters. Column width = widest + 1, stored with libxlsxwriter's 5-pixel padding
        # (+0.7109375): B 37.71; phone (12 characters) C 13.71.
        with zipfile.ZipFile(path) as z:
            cols = z.read("xl/worksheets/sheet1.xml").split(b"<sheetData")[0].decode()
        widths = tuple(float(re.search(f'<col min="{c}" max="{c}" width="([0-9.]+)"', cols)[1])
                       for c in (2, 3))
        if widths != (37.7109375, 13.7109375):
            fail(f"10^5 rows: widths of name and phone {widths}, want (37.7109375, 13.7109375)")
        print(f"10^5 rows: {n} rows read back")
        # The zip at zlib level 1 (io/xlsx_deflate.h): minizip marks a level-1 entry in its
        # general-purpose flags, bits 1-2 = 11 ("super fast", APPNOTE 4.4.4); level 6 leaves 00.
        # Deflated, never stored, and every entry reads back whole (CRC checked by testzip).
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 6 != 6:
                    fail(f"zip entry {info.filename}: method {info.compress_type}, "
                         f"flags {info.flag_bits:#x} (want deflate at level 1: flags & 6 == 6)")
            if z.testzip() is not None:
                fail(f"zip entry {z.testzip()} is corrupt")

    # A terminal on stdout is a usage error (`script` gives the program a pseudo-terminal).
    if shutil.which("script"):
        cmd = " ".join([K] + seg)
        r = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True,
                           env=dict(os.environ, LC_ALL="C.UTF-8"))
        if r.returncode != 2 or "terminal" not in r.stdout:
            fail(f"xlsx to a terminal: exit {r.returncode}, {r.stdout[-300:]!r}")
    else:
        print("script(1) missing: terminal check skipped")
finally:
    shutil.rmtree(TMP, ignore_errors=True)

if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("xlsx: all checks passed")
