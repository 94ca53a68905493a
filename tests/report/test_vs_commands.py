#!/usr/bin/env python3
"""Every table of the report page equals what the corresponding command prints (SPEC §6.7,
§8.60), on the examples in both export styles and under several option sets.

  test_vs_commands.py KARTOTEKA EXAMPLES_DIR

The page's data-value cells are compared with the commands' csv output, parsed by Python's csv
module; where the report aggregates a command's list (rfm_grid, sleeping, referrals, tiers,
referral_audit), the aggregation is done here from that list, independently of kartoteka.
"""
import csv
import io
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from page_tables import read_page  # noqa: E402

K, EXAMPLES = sys.argv[1], Path(sys.argv[2])  # (a third argument, the tests folder, is unused)
AS_OF = "2026-11-22"
failures = []


def run(*args):
    r = subprocess.run([K, *args], capture_output=True, check=False)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.decode()}")
    return r.stdout.decode("utf-8")


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


def check(label, got, want):
    if got != want:
        failures.append(f"{label}:\n  page:    {got}\n  command: {want}")


def money(s):  # "1234.50" -> kopecks
    neg = s.startswith("-")
    whole, frac = s.lstrip("-").split(".")
    k = int(whole) * 100 + int(frac)
    return -k if neg else k


def fmt_money(k):
    sign = "-" if k < 0 else ""
    return f"{sign}{abs(k) // 100}.{abs(k) % 100:02d}"


def months_window(as_of, n):
    y, m = int(as_of[:4]), int(as_of[5:7])
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def one_case(style, report_extra, ledger_extra, months=24, after=180, lost_after=1095):
    d = EXAMPLES / style
    common = ["--patients", str(d / "patients.csv"), "--visits", str(d / "visits.csv"),
              "--as-of", AS_OF, "--quiet"]
    label = f"{style} {' '.join(report_extra)}"
    page = run("report", *common, *report_extra)
    tables, order = read_page(page)
    names = ["overview", "activity", "branches", "months", "rfm_grid", "rfm", "sleeping",
             "referrals", "referral_audit", "ledger", "tiers"]
    check(f"{label}: table order", order, names)
    t = {n: [keys] + rows for n, (keys, rows) in tables.items()}

    check(f"{label}: activity", t["activity"], csv_rows(run("segment", *common, "--by", "activity")))
    check(f"{label}: branches", t["branches"],
          csv_rows(run("segment", *common, "--by", "home_branch")))
    check(f"{label}: rfm", t["rfm"], csv_rows(run("rfm", *common, "--summary")))

    # overview from the segment list of every patient (first_visit as an extra field).
    seg = csv_rows(run("segment", *common, "--fields", "first_visit"))
    h, rows = seg[0], seg[1:]
    iv, isp, ilv, ifv = h.index("visits"), h.index("spent"), h.index("last_visit"), h.index("first_visit")
    visited = [r for r in rows if int(r[iv]) > 0]
    want = [str(len(rows)), str(len(visited)), str(sum(int(r[iv]) for r in rows)),
            fmt_money(sum(money(r[isp]) for r in rows)),
            min((r[ifv] for r in visited), default=""), max((r[ilv] for r in visited), default=""),
            AS_OF]
    check(f"{label}: overview", t["overview"],
          [["patients", "with_visits", "visits", "spent", "first_visit", "last_visit", "as_of"], want])
    # months: new_patients per first_visit month (from the same list)
    window = months_window(AS_OF, months)
    fresh = Counter(r[ifv][:7] for r in visited)
    check(f"{label}: months new_patients", [r[1] for r in t["months"][1:]],
          [str(fresh[m]) for m in window])
    check(f"{label}: months", [r[0] for r in t["months"][1:]], window)

    # rfm_grid from the rfm list's r and f.
    rl = csv_rows(run("rfm", *common))
    ir, iff = rl[0].index("r"), rl[0].index("f")
    grid = Counter((r[ir], r[iff]) for r in rl[1:])
    want = [["r", "f", "patients"]] + [[str(r), str(f), str(grid[(str(r), str(f))])]
                                       for r in range(5, 0, -1) for f in range(1, 6)]
    check(f"{label}: rfm_grid", t["rfm_grid"], want)

    # sleeping buckets from the sleeping list.
    sl = csv_rows(run("sleeping", *common, "--after", str(after), "--lost-after", str(lost_after)))
    ids, isp = sl[0].index("days_since"), sl[0].index("spent")
    cuts = [after] + [c for c in range(365, lost_after, 365) if c > after] + [lost_after]
    want = [["bucket", "patients", "spent"]]
    if after < lost_after:
        for lo, hi in zip(cuts, cuts[1:]):
            inb = [r for r in sl[1:] if lo <= int(r[ids]) < hi]
            want.append([f"{lo}-{hi - 1}", str(len(inb)), fmt_money(sum(money(r[isp]) for r in inb))])
    check(f"{label}: sleeping", t["sleeping"], want)

    # referrals per month from the reward list (same --credit / --no-referrals meaning).
    credit = ["--credit", "0"] if "--no-referrals" in report_extra else \
        [report_extra[report_extra.index("--credit")], report_extra[report_extra.index("--credit") + 1]] \
        if "--credit" in report_extra else []
    rw = csv_rows(run("referrals", *common, *credit))
    hd = rw[0]
    acc = defaultdict(lambda: [0, 0, 0, 0])
    for r in rw[1:]:
        a = acc[r[hd.index("date")][:7]]
        a[0] += 1
        for i, c in enumerate(("topup", "credit", "welcome")):
            a[i + 1] += money(r[hd.index(c)])
    want = [["month", "referrals", "topup", "credit", "welcome"]] + [
        [m, str(acc[m][0]), fmt_money(acc[m][1]), fmt_money(acc[m][2]), fmt_money(acc[m][3])]
        for m in window]
    check(f"{label}: referrals", t["referrals"], want)

    au = csv_rows(run("referrals", *common, "--audit"))
    n = Counter(r[au[0].index("issue")] for r in au[1:])
    issues = ["self_referral", "unknown_referrer", "referrer_not_yet_patient", "mutual_referral",
              "pending"]
    check(f"{label}: referral_audit", t["referral_audit"],
          [["issue", "referrals"]] + [[i, str(n[i])] for i in issues])

    # ledger: bonus-ledger --summary rows in the window; tiers: the balance list per discount_pct.
    summary = csv_rows(run("bonus-ledger", *common, *ledger_extra, "--summary"))
    check(f"{label}: ledger", t["ledger"], [summary[0]] + [r for r in summary[1:] if r[0] in window])
    bl = csv_rows(run("bonus-ledger", *common, *ledger_extra))
    tiers_opt = ledger_extra[ledger_extra.index("--tiers") + 1] if "--tiers" in ledger_extra \
        else "30000:5,45000:10"
    pcts = {"0"} | {x.split(":")[1] for x in tiers_opt.split(",")}
    per = Counter(r[bl[0].index("discount_pct")] for r in bl[1:])
    want = [["discount_pct", "patients"]] + [[p, str(per[p])] for p in sorted(pcts, key=float)]
    check(f"{label}: tiers", t["tiers"], want)


for style in ("canonical", "1c"):
    adj = ["--adjustments", str(EXAMPLES / style / "adjustments.csv")]
    one_case(style, [], [])
    opts = ["--cashback", "5", "--expire-days", "90", "--credit", "150", *adj,
            "--tiers", "10000:3,30000:5,45000:10"]
    one_case(style, ["--months", "36", "--after", "100", "--lost-after", "900", *opts], opts,
             months=36, after=100, lost_after=900)
    opts = ["--cashback", "2.5", "--no-referrals", *adj]
    one_case(style, ["--months", "7", "--after", "365", "--lost-after", "2000", *opts], opts,
             months=7, after=365, lost_after=2000)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("report tables equal the commands' output")
