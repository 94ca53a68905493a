#!/usr/bin/env python3
"""The report's own aggregations on a small hand-made export (tests/report/handmade), against
values computed by hand below (SPEC §6.7, §8.60). As-of 2026-11-22.

  test_handmade.py KARTOTEKA EXAMPLES_DIR HERE_DIR   (EXAMPLES_DIR unused: the ctest calling form)

The export (see handmade/*.csv): ten patients, K-106 without visits; K-777 in the visits only
(ignored). Counted rows are completed rows dated on or before 2026-11-22 (v103 of 2026-11-25,
the planned v501 and the cancelled v901 are not).

Visits (a visit's month is that of its earliest counted non-refund row):
  K-101 v100 2024-01-10 (5000) · v101 2026-09-05 (3000 + 1000, one visit) · v102 rows 2026-11-01
        (500) and 2026-10-31 (2000): one visit of OCTOBER · refund r1 2026-11-10 (−700, no visit)
  K-102 v200 rows 2026-09-02 (500) and 2026-08-31 (1500): one visit of AUGUST (outside a
        Sep–Nov window, though its 500 is September revenue)
  K-103 no visit_id: 2026-10-15 (800 + 200: one visit), 2026-11-02 (0.00: a visit)
  K-104 v400 2025-06-01 (40000)     K-105 v500 2026-10-20 (0.00), planned v501 2026-12-01
  007   v700 2026-09-01 (1200)      K-108 v800 2026-11-05 (2500), v801 2026-11-20 (400)
  K-109 v900 2026-10-12 (300)       K-110 v1000 2026-10-25 (100)
Referrers: K-102←K-101, K-103←K-103 (self), K-104←Z-999 (unknown), K-105←K-101 (never paid:
pending), 007←K-102, K-108←K-106 (no visits: not yet a patient), K-109←K-110 and K-110←K-109
(mutual; K-110 first came 2026-10-25, after K-109's D 2026-10-12: not yet a patient for K-109).
"""
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from page_tables import read_page  # noqa: E402

K, HERE = sys.argv[1], Path(sys.argv[-1]) / "handmade"
failures = []


def tables_of(*extra):
    r = subprocess.run([K, "report", "--patients", str(HERE / "patients.csv"), "--visits",
                        str(HERE / "visits.csv"), "--as-of", "2026-11-22", "--quiet", *extra],
                       capture_output=True, check=False)
    if r.returncode != 0:
        raise SystemExit(f"report {extra}: exit {r.returncode}: {r.stderr.decode()}")
    tables, _ = read_page(r.stdout.decode())
    return {n: [keys] + rows for n, (keys, rows) in tables.items()}


def expect(label, got, want):
    want = [line.split(",") for line in want.strip().splitlines()]
    if got != want:
        failures.append(f"{label}:\n  page: {got}\n  hand: {want}")


WINDOW = ["--months", "3", "--after", "30", "--lost-after", "800"]
t = tables_of(*WINDOW)

# overview: 10 patients; 9 with visits (all but K-106). visits: K-101 3 (v100 v101 v102),
# K-102 1, K-103 2, K-104 1, K-105 1, 007 1, K-108 2, K-109 1, K-110 1 = 13.
# spent: K-101 5000+3000+1000+500+2000−700 = 10800; K-102 2000; K-103 1000; K-104 40000;
# K-105 0; 007 1200; K-108 2900; K-109 300; K-110 100 → 58300.00.
# first visit 2024-01-10 (K-101), last 2026-11-20 (K-108).
expect("overview", t["overview"], """
patients,with_visits,visits,spent,first_visit,last_visit,as_of
10,9,13,58300.00,2024-01-10,2026-11-20,2026-11-22
""")

# months, window 2026-09 … 2026-11:
# Sep: visits K-101 v101, 007 v700 = 2 (2 patients); new: 007 (first visit 09-01) = 1;
#      revenue 3000 + 1000 (v101) + 500 (v200's September row) + 1200 (v700) = 5700.00
# Oct: visits K-101 v102 (earliest row 10-31), K-103 10-15, K-105 v500, K-109 v900, K-110 v1000
#      = 5 (5 patients); new: K-103, K-105, K-109, K-110 = 4;
#      revenue 2000 (v102's October row) + 800 + 200 + 0 + 300 + 100 = 3400.00
# Nov: visits K-103 11-02, K-108 v800 and v801 = 3 (2 patients); new: K-108 = 1;
#      revenue 500 (v102's November row) − 700 (refund) + 0 + 2500 + 400 = 2700.00
expect("months", t["months"], """
month,new_patients,patients,visits,revenue
2026-09,1,2,2,5700.00
2026-10,4,5,5,3400.00
2026-11,1,2,3,2700.00
""")

# rfm_grid: 9 patients with visits. recency (days since last visit): K-108 2, K-103 20, K-101 21,
# K-110 28, K-105 33, K-109 41, K-102 81, 007 82, K-104 539. r = 1 + floor(5·#{more recent
# than me... i.e. recency greater}/9): K-108 1+floor(40/9)=5, K-103 1+floor(35/9)=4,
# K-101 1+floor(30/9)=4, K-110 1+floor(25/9)=3, K-105 1+floor(20/9)=3, K-109 1+floor(15/9)=2,
# K-102 1+floor(10/9)=2, 007 1+floor(5/9)=1, K-104 1.
# frequency: 1 visit ×6 → f 1; 2 visits (K-103, K-108): 1+floor(5·6/9)=4; 3 (K-101): 1+floor(40/9)=5.
# cells: (5,4) K-108; (4,4) K-103; (4,5) K-101; (3,1) K-110 K-105; (2,1) K-109 K-102;
# (1,1) 007 K-104.
grid = {(5, 4): 1, (4, 4): 1, (4, 5): 1, (3, 1): 2, (2, 1): 2, (1, 1): 2}
expect("rfm_grid", t["rfm_grid"], "r,f,patients\n" + "\n".join(
    f"{r},{f},{grid.get((r, f), 0)}" for r in range(5, 0, -1) for f in range(1, 6)))

# sleeping, --after 30 --lost-after 800 → buckets 30-364, 365-729, 730-799.
# days since: K-102 81 (09-02), 007 82 (09-01), K-109 41 (10-12; the cancelled row is no visit)
# → 30-364: 3 patients, 2000 + 1200 + 300 = 3500.00; K-104 539 → 365-729: 40000.00.
# K-105 (33 days) has an upcoming appointment (v501): not listed. Others are under 30 days.
expect("sleeping", t["sleeping"], """
bucket,patients,spent
30-364,3,3500.00
365-729,1,40000.00
730-799,0,0.00
""")

# referrals by D (first paid counted row) in the window: 007 (09-01) in Sep; K-109 (10-12) and
# K-110 (10-25) in Oct; K-108 (11-05) in Nov. K-102's D is 08-31 (outside). 100 / 100 / 300 each.
expect("referrals", t["referrals"], """
month,referrals,topup,credit,welcome
2026-09,1,100.00,100.00,300.00
2026-10,2,200.00,200.00,600.00
2026-11,1,100.00,100.00,300.00
""")

# audit, all time: self K-103; unknown K-104; not yet a patient K-108 (K-106 never came) and
# K-109 (K-110 first came after 10-12); mutual K-109 and K-110; pending K-105.
expect("referral_audit", t["referral_audit"], """
issue,referrals
self_referral,1
unknown_referrer,1
referrer_not_yet_patient,2
mutual_referral,2
pending,1
""")

# ledger, defaults (no cashback, 100.00 referral credits expiring after 180 days — none by
# 2026-11-22): credits K-101 08-31, K-102 09-01, K-110 10-12, K-109 10-25, K-106 11-05. The
# summary runs from 2026-08 (issued 100, outstanding 100); the window shows Sep 100 → 200,
# Oct 200 → 400, Nov 100 → 500.
expect("ledger", t["ledger"], """
month,issued,redeemed,expired,outstanding
2026-09,100.00,0.00,0.00,200.00
2026-10,200.00,0.00,0.00,400.00
2026-11,100.00,0.00,0.00,500.00
""")

# tiers 30000:5,45000:10 over the balance list: the 9 patients with visits and K-106 (a referral
# credit). Only K-104 (40000.00) reaches 5 %.
expect("tiers", t["tiers"], """
discount_pct,patients
0,9
5,1
10,0
""")

# --no-referrals --cashback 10 --expire-days 0: cashback floor(amount × 10 %) on every counted
# row with amount > 0, never expiring. Before the window: 500 (v100) + 4000 (v400) + 150 (v200's
# 08-31 row) = 4650.00. Sep: 300 + 100 (v101) + 50 (v200's 09-02) + 120 (v700) = 570 → 5220.00.
# Oct: 200 (v102's 10-31) + 80 + 20 (K-103) + 30 (v900) + 10 (v1000) = 340 → 5560.00.
# Nov: 50 (v102's 11-01) + 250 + 40 (K-108) = 340 → 5900.00. The referrals' credit is 0.00.
t = tables_of(*WINDOW, "--no-referrals", "--cashback", "10", "--expire-days", "0",
              "--tiers", "1000:3,10000:7,40000:7")
expect("ledger, cashback", t["ledger"], """
month,issued,redeemed,expired,outstanding
2026-09,570.00,0.00,0.00,5220.00
2026-10,340.00,0.00,0.00,5560.00
2026-11,340.00,0.00,0.00,5900.00
""")
expect("referrals, no credit", t["referrals"], """
month,referrals,topup,credit,welcome
2026-09,1,100.00,0.00,300.00
2026-10,2,200.00,0.00,600.00
2026-11,1,100.00,0.00,300.00
""")
# tiers 0 / 3 / 7 (7 twice: one row): 9 patients (no K-106 without referral credits).
# K-101 10800 → 7; K-104 40000 → 7; K-102 2000, K-103 1000, 007 1200, K-108 2900 → 3;
# K-105 0, K-109 300, K-110 100 → 0.
expect("tiers, three", t["tiers"], """
discount_pct,patients
0,3
3,4
7,2
""")

# Default options: window 2024-12 … 2026-11 (24 rows); buckets 180-364, 365-729, 730-1094.
t = tables_of()
if len(t["months"]) != 25 or t["months"][1][0] != "2024-12" or t["months"][-1][0] != "2026-11":
    failures.append(f"default window: {[r[0] for r in t['months'][1:]]}")
expect("sleeping, defaults", t["sleeping"], """
bucket,patients,spent
180-364,0,0.00
365-729,1,40000.00
730-1094,0,0.00
""")
# --after ≥ --lost-after: no rows (§8.60); --after 365: buckets start at 365.
expect("sleeping, after ≥ lost-after", tables_of("--after", "900", "--lost-after", "800")["sleeping"],
       "bucket,patients,spent")
expect("sleeping, after 365", tables_of("--after", "365", "--lost-after", "1000")["sleeping"], """
bucket,patients,spent
365-729,1,40000.00
730-999,0,0.00
""")
# --months 1: the as-of month only.
expect("months 1", tables_of("--months", "1")["months"], """
month,new_patients,patients,visits,revenue
2026-11,1,2,3,2700.00
""")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("report aggregations equal the hand-computed values")
