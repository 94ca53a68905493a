#!/usr/bin/env python3
"""An independent model of bonus-ledger --what-if (SPEC §6.4, §6.5, §8.31–§8.35, §8.59) for
canonical-style exports (UTF-8, `,`, ISO dates, `1234.50` amounts, English statuses), written
from the SPEC and walking the calendar day by day; it shares no code with kartoteka.

  model.py PATIENTS VISITS ADJUSTMENTS AS_OF CASHBACK 'OPTIONS' ...   → the what-if rows (csv)
"""
import csv, sys, datetime as dt
from decimal import Decimal, ROUND_FLOOR, ROUND_HALF_UP

patients_path, visits_path, adj_path, as_of_text, cashback_text = sys.argv[1:6]
as_of = dt.date.fromisoformat(as_of_text)
kop = lambda s: int((Decimal(s or '0') * 100).to_integral_value())
money = lambda k: ('-' if k < 0 else '') + '%d.%02d' % divmod(abs(k), 100)

patients = list(csv.DictReader(open(patients_path, encoding='utf-8')))
ids = [p['id'].strip() for p in patients]
known = set(ids)
key = lambda c: c.strip().lstrip('0') or '0' if c.strip().isdigit() else c.strip()
by_key = {}
for i in ids:
    by_key.setdefault(key(i), i)
rows = [r for r in csv.DictReader(open(visits_path, encoding='utf-8')) if r['patient_id'].strip() in known]
for n, r in enumerate(rows):
    r['n'], r['d'] = n, dt.date.fromisoformat(r['date'][:10])
counted = [r for r in rows if r['status'] in ('completed', '') and r['d'] <= as_of]
revenue = sum(kop(r['amount']) for r in counted)

# Qualified referrals (§6.4): D = P's earliest counted row with amount > 0.
referrals = []
for p in patients:
    pid, ref = p['id'].strip(), (p.get('referrer_id') or '').strip()
    if not ref:
        continue
    r_id = by_key.get(key(ref))
    paid = [r['d'] for r in counted if r['patient_id'].strip() == pid and kop(r['amount']) > 0]
    if r_id and r_id != pid and key(r_id) != key(pid) and paid:
        referrals.append((min(paid), pid, r_id))
adjustments = [a for a in csv.DictReader(open(adj_path, encoding='utf-8'))
               if kop(a['amount']) != 0 and dt.date.fromisoformat(a['date']) <= as_of
               and a['patient_id'].strip() in known]

def replay(pct, expire, credit):
    """Day by day: expiries, then debits, then credits; lots oldest first (§6.5)."""
    events = []  # (date, order, patient, signed amount)
    for r in counted:
        p, amount, bonus = r['patient_id'].strip(), kop(r['amount']), kop(r['bonus_paid'])
        if bonus > 0:
            events.append((r['d'], 0, p, -bonus))
        cb = int((Decimal(amount - bonus) * pct / 100).to_integral_value(ROUND_FLOOR))
        if cb > 0:
            events.append((r['d'], 1, p, cb))
    for d, new, ref in referrals:
        if credit > 0:
            events.append((d, 1, ref, credit))
    for a in adjustments:
        amount = kop(a['amount'])
        events.append((dt.date.fromisoformat(a['date']), 0 if amount < 0 else 1, a['patient_id'].strip(), amount))
    if not events:
        return None
    lots = {p: [] for p in ids}  # [date, left]
    months, overdraft = {}, 0
    def month(d):
        return months.setdefault(d.strftime('%Y-%m'), [0, 0, 0])
    day = min(e[0] for e in events)
    while day <= as_of:
        for p in ids:
            for lot in lots[p]:
                if expire and lot[0] + dt.timedelta(days=expire) == day and lot[1] > 0:
                    month(day)[2] += lot[1]
                    lot[1] = 0
        for order in (0, 1):
            for d, o, p, amount in events:
                if d != day or o != order:
                    continue
                if amount > 0:
                    lots[p].append([day, amount])
                    month(day)[0] += amount
                else:
                    want = -amount
                    for lot in lots[p]:
                        take = min(lot[1], want)
                        lot[1] -= take
                        want -= take
                        month(day)[1] += take
                    overdraft += want
        day += dt.timedelta(days=1)
    return months, overdraft

w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow('scenario cashback expire_days credit issued redeemed expired overdraft outstanding '
           'peak_outstanding peak_month revenue cost_pct'.split())
for text in ['current'] + sys.argv[6:]:
    pct, expire, credit = Decimal(cashback_text), 180, 10000
    if text != 'current':
        for word in text.split():
            k, _, v = word.partition('=')
            if k == 'cashback': pct = Decimal(v)
            if k == 'expire-days': expire = int(v)
            if k == 'credit': credit = kop(v)
            if k == 'no-referrals': credit = 0
    got = replay(pct, expire, credit)
    issued = redeemed = expired = outstanding = 0
    peak = peak_month = ''
    if got:
        months, overdraft = got
        first = min(months)
        y, m = int(first[:4]), int(first[5:])
        while (y, m) <= (as_of.year, as_of.month):
            i, r, e = months.get('%04d-%02d' % (y, m), [0, 0, 0])
            issued, redeemed, expired, outstanding = issued + i, redeemed + r, expired + e, outstanding + i - r - e
            if peak == '' or outstanding > peak:
                peak, peak_month = outstanding, '%04d-%02d' % (y, m)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        overdraft = 0
    cost = '' if revenue <= 0 else str((Decimal(redeemed) * 100 / revenue).quantize(Decimal('0.01'), ROUND_HALF_UP))
    w.writerow([text, str(pct.normalize()) if pct % 1 else str(int(pct)), expire, money(credit),
                money(issued), money(redeemed), money(expired), money(overdraft), money(outstanding),
                '' if peak == '' else money(peak), peak_month, money(revenue), cost])
