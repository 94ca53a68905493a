#!/usr/bin/env bash
# Cron-style uses of kartoteka on the sample 1C exports in examples/1c (Windows-1251, ';', CRLF).
# Run from anywhere:   bash examples/pipelines.sh
# Override the program or the report day:   K=./build/kartoteka AS_OF=2026-11-22 bash examples/pipelines.sh
# (with AS_OF=2026-11-22 the sample data has two birthdays tomorrow, three Хамовники women over 20 000 ₽, etc.)
set -euo pipefail

K=${K:-kartoteka}
AS_OF=${AS_OF:-$(date +%F)}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$HERE/1c
OUT=${OUT:-$(mktemp -d)}
COMMON=(--patients "$DATA/patients.csv" --visits "$DATA/visits.csv" --as-of "$AS_OF")

# (0) Once, before the first real run on a new clinic's exports: how kartoteka reads each column
#     (stderr: encoding, delimiter, line endings, rows; stdout: field, filled, bad, an example).
echo "== (0) inspect the exports"
"$K" inspect --patients "$DATA/patients.csv" --visits "$DATA/visits.csv" \
    --adjustments "$DATA/adjustments.csv"

# (a) Every evening at 18:00: tomorrow's birthdays, only patients we may text
#     (valid phone + SMS consent) - the list goes to the front desk / SMS gateway.
#     crontab: 0 18 * * *  kartoteka segment ... --contactable --where 'days_to_birthday = 1'
echo "== (a) tomorrow's birthdays, contactable"
"$K" segment "${COMMON[@]}" --contactable --where 'days_to_birthday = 1' \
    --fields birth_date,age,home_branch

# (b) Ad-hoc analyst query: women from Хамовники who have spent over 20 000 ₽,
#     with the columns the marketing manager asked for, as a spreadsheet for Russian Excel.
echo "== (b) women from Хамовники who spent over 20 000 ₽"
"$K" segment "${COMMON[@]}" \
    --where 'gender = F and district = Хамовники and spent > 20000' \
    --fields avg_check,categories,days_since_last_visit
"$K" segment "${COMMON[@]}" --format excel -o "$OUT/hamovniki-women.csv" \
    --where 'gender = F and district = Хамовники and spent > 20000' \
    --fields avg_check,categories

# (b2) The top of a list without an external CSV tool: the 100 patients who spent most, by RFM,
#      with the most recent visit first among equals (--sort is typed: money as money, dates as dates).
echo "== (b2) top 100 by money spent"
"$K" rfm "${COMMON[@]}" --sort monetary:desc --sort last_visit:desc --limit 100

# (c) Weekly on Monday: wake sleeping adult patients. segment picks the group, sleeping keeps those
#     without a visit for half a year (and without an upcoming appointment), sms renders the texts
#     (consent is checked by sms; one message per phone).
echo "== (c) sleeping adult patients -> SMS texts"
"$K" segment "${COMMON[@]}" --where 'age >= 18' --fields age \
  | "$K" sleeping "${COMMON[@]}" --from - \
  | "$K" sms "${COMMON[@]}" --from - \
      --template '{first_name}, мы скучаем! Запишитесь на профгигиену со скидкой 10% до конца месяца. Тел. +7 495 000-00-00'

# (d) Nightly at 02:00: the referral reward list to pay (100 ₽ on the referrer's phone + 100 ₽ bonus),
#     written atomically (a failed run never leaves a half-written file for the morning script).
#     crontab: 0 2 * * *  kartoteka referrals ... -o /srv/reports/referrals-$(date +%F).csv
echo "== (d) referral rewards -> $OUT/referrals-$AS_OF.csv"
"$K" referrals "${COMMON[@]}" --clinic 'Улыбка' --clinic-phone '+7 495 000-00-00' \
    -o "$OUT/referrals-$AS_OF.csv"
cat "$OUT/referrals-$AS_OF.csv"

# Bonus account balances with the adjustments journal (same records in examples/1c/adjustments.csv).
echo "== bonus balances"
"$K" bonus-ledger "${COMMON[@]}" --cashback 5 --adjustments "$DATA/adjustments.csv"
