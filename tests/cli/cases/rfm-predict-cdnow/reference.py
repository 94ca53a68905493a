#!/usr/bin/env python3
# An independent reference for this case (not run by ctest; needs python3-mpmath): every
# customer's p_alive, expected_visits and expected_revenue over the next 273 days, from the
# exact re-fit's parameters (shared/data/cdnow/README.md), with the BG/NBD paper's equation (10)
# as printed — mpmath's hyp2f1 at 40 digits — and the Gamma-Gamma expected check.
# Prints `id,p_alive,expected_visits,expected_revenue` (as kartoteka prints them) and the same
# three to 10 significant digits (for the summary's sums), sorted by id:
#   python3 reference.py > reference.csv
import csv, datetime
from decimal import Decimal, ROUND_HALF_UP
from mpmath import mp, mpf, hyp2f1

mp.dps = 40
r, al, a, b = mpf('0.2425945'), mpf('4.4136024'), mpf('0.7929220'), mpf('2.4259067')
p, q, g = mpf('6.24957'), mpf('3.74422'), mpf('15.44352')
asof, t = datetime.date(1997, 9, 30), mpf(273) / 7

def p_alive(x, tx, T):
    return mpf(1) if x == 0 else 1 / (1 + a / (b + x - 1) * ((al + T) / (al + tx)) ** (r + x))

def expected(x, tx, T):
    z, c = t / (al + T + t), a + b + x - 1
    return p_alive(x, tx, T) * c / (a - 1) * (
        1 - ((al + T) / (al + T + t)) ** (r + x) * hyp2f1(r + x, b + x, c, z))

def check(x, m):
    pop = p * g / (q - 1)
    if x == 0 or m <= 0:
        return pop
    w = p * x + q - 1
    return (q - 1) / w * pop + p * x / w * m

days = {}
for row in csv.DictReader(open('visits.csv')):
    d = datetime.date.fromisoformat(row['date'])
    if d <= asof and not row['amount'].startswith('-'):
        day = days.setdefault(row['patient_id'], {})
        day[d] = day.get(d, mpf(0)) + mpf(row['amount'])
print('id,p_alive,expected_visits,expected_revenue,p_alive_exact,expected_visits_exact,'
      'expected_revenue_exact')
for pid in sorted(days):
    ds = sorted(days[pid])
    x = len(ds) - 1
    tx, T = mpf((ds[-1] - ds[0]).days) / 7, mpf((asof - ds[0]).days) / 7
    m = sum(days[pid][d] for d in ds[1:]) / x if x else mpf(0)
    P, E = p_alive(x, tx, T), expected(x, tx, T)
    rev = Decimal(mp.nstr(E * check(x, m), 30)).quantize(Decimal('0.01'), ROUND_HALF_UP)
    exact = ','.join(mp.nstr(v, 10) for v in (P, E, E * check(x, m)))
    print(f"{pid},{float(P):.4f},{float(E):.2f},{rev},{exact}")
