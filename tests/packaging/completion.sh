#!/usr/bin/env bash
# completion.sh KARTOTEKA — shell completion (SPEC §9), bash driven as bash itself does: the script
# is sourced, `complete -p` names its function, COMP_WORDS/COMP_CWORD are set as readline would
# set them and the function's COMPREPLY is compared with what a user must be offered (the names
# come from SPEC §1/§6.1, not from the program). zsh and fish scripts: syntax (when the shell is
# installed), zsh's function run with its builtins stubbed, fish asked with complete -C, and every
# option of every command's --help present in both.
set -uo pipefail
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
# A patients export with two columns that are no logical field (one titled with a space).
printf 'id,name,phone,vip_level,Любимый врач\n1,A,+79160000001,2,Иванов\n' > patients.csv
printf 'id,patient_id,date,amount\n' > visits.csv
mkdir exports && touch exports/pat.csv exports/vis.csv
# The same in the 1C style: cp1251, ';', Russian titles of logical fields (§2.3).
printf 'Номер карты;ФИО;Телефон;Любимый врач\r\n000001;А;+79160000001;Иванов\r\n' |
  iconv -f utf-8 -t cp1251 > 1c.csv

source <("$K" completion bash) || bad "the bash script does not source"
complete -p kartoteka | grep -q -- '-F _kartoteka' || bad "complete -p: $(complete -p kartoteka)"

# offers WORD... → the sorted COMPREPLY, one line
offers() {
  COMP_WORDS=("$K" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _kartoteka
  printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd' '
}
expect() { # WANT WORD...
  local want=$1 got
  shift
  got=$(offers "$@")
  [ "$got" = "$want" ] || bad "kartoteka $* → '$got', expected '$want'"
}
# commands
expect "segment" seg
expect "segment sleeping sms" s
expect "bonus-ledger" bon
# options of the command on the line, also with common options before it
expect "--where" segment --wh
expect "--summary" rfm --summ
expect "--summary" --as-of 2026-11-22 rfm --summ
expect "--adaptive --adjustments --after --as-of --audit" --a  # before a command: any option
expect "--adaptive --after --as-of" sleeping --a
# values of --format, --encoding, --delimiter, --scheme (also as --format=VALUE, split at '=')
expect "csv excel jsonl table tsv xlsx" segment --format ''
expect "jsonl" rfm --format j
expect "jsonl" rfm --format = j
expect "auto cp1251 utf-8" segment --encoding ''
expect "\\, \\; \\| auto tab" segment --delimiter ''
expect "activity" segment --scheme act
# file names after file options
expect "exports/pat.csv exports/vis.csv" segment --patients exports/
expect "exports/pat.csv exports/vis.csv" rfm -o exports/
# field names after --by/--fields, from the header of the patients file on the line
expect "home_branch" segment --patients patients.csv --by home
expect "gender,birth_date gender,birth_day gender,birth_month" segment --patients patients.csv --by gender,birth
expect "vip_level" segment --patients=patients.csv --fields vip
expect "vip_level" segment --patients = patients.csv --fields vip
expect "Любимый врач" segment --patients patients.csv --fields Люб
expect "Любимый врач" segment --patients 1c.csv --fields Люб
expect "" segment --patients 1c.csv --fields Номер  # a title bound to a logical field (id) is not offered
# … or of $KARTOTEKA_PATIENTS
KARTOTEKA_PATIENTS=patients.csv expect "age" segment --fields ag
expect "" segment --fields ag  # no patients file: nothing to offer
# inside --where: the word being typed is a field name
expect "age > 3 and days_since_first_visit age > 3 and days_since_last_visit age > 3 and days_to_birthday" \
  segment --patients patients.csv --where 'age > 3 and days_'
expect "(visits" segment --patients patients.csv --where '(visi'
# as readline sees `--where 'age > 3 and days_<TAB>`: the word keeps its open quote, the matches
# replace the text after it
expect "age > 3 and days_since_first_visit age > 3 and days_since_last_visit age > 3 and days_to_birthday" \
  segment --patients patients.csv --where "'age > 3 and days_"
# positional arguments of help and completion
expect "referrals report rfm" help r
expect "zsh" completion z
# no suggestions for a value kartoteka cannot guess
expect "" segment --as-of ''

# zsh and fish: the scripts name every option of every command.
"$K" completion zsh > k.zsh && "$K" completion fish > k.fish || bad "zsh/fish scripts"
command -v zsh >/dev/null && { zsh -n k.zsh || bad "k.zsh syntax"; }
command -v fish >/dev/null && { fish -n k.fish || bad "k.fish syntax"; }
# zsh: the completion function run with zsh's completion builtins stubbed to print what they are
# given (zsh itself then filters by the typed prefix, so the candidates are all printed here).
if command -v zsh >/dev/null; then
  zsh_offers() { # CURRENT WORD...
    K="$K" zsh -f -c '
      compadd() { while [[ $1 == -* && $1 != -- ]]; do [[ $1 == -S ]] && shift; shift; done
                  [[ $1 == -- ]] && shift; print -l -- "$@"; }
      compset() { :; }; _files() { print FILES; }; _message() { :; }; compdef() { :; }
      _describe() { print -l -- ${${(P)2}%%:*}; }
      source ./k.zsh
      CURRENT=$1; shift; words=("$K" "$@"); _kartoteka' zsh "$@" | LC_ALL=C sort | paste -sd' '
  }
  [[ " $(zsh_offers 2 seg) " == *" segment "* ]] || bad "zsh: commands: $(zsh_offers 2 seg)"
  [[ " $(zsh_offers 3 rfm --summ) " == *" --summary "* ]] || bad "zsh: options"
  [ "$(zsh_offers 4 segment --format '')" = "csv excel jsonl table tsv xlsx" ] || bad "zsh: --format"
  [ "$(zsh_offers 4 segment --patients '')" = "FILES" ] || bad "zsh: --patients"
  [[ " $(zsh_offers 6 segment --patients patients.csv --by gen) " == *" vip_level "* ]] ||
    bad "zsh: --by: $(zsh_offers 6 segment --patients patients.csv --by gen)"
fi
# fish can be asked what it would offer (complete -C), so it is driven like bash.
if command -v fish >/dev/null; then
  fish_offers() {
    PATH=$(dirname "$K"):$PATH fish -c "source k.fish; complete -C'$1'" | cut -f1 | LC_ALL=C sort | paste -sd' '
  }
  [ "$(fish_offers 'kartoteka seg')" = segment ] || bad "fish: commands: $(fish_offers 'kartoteka seg')"
  [ "$(fish_offers 'kartoteka rfm --summ')" = --summary ] || bad "fish: options"
  [ "$(fish_offers 'kartoteka segment --format ')" = "csv excel jsonl table tsv xlsx" ] || bad "fish: --format"
  [ "$(fish_offers 'kartoteka segment --patients patients.csv --by gender,vi')" = "gender,vip_level gender,visits" ] ||
    bad "fish: --by: $(fish_offers 'kartoteka segment --patients patients.csv --by gender,vi')"
fi
for c in $("$K" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
  grep -q "__fish_seen_subcommand_from $c'" k.fish || bad "fish lacks $c"
  for o in $("$K" "$c" --help | grep -E '^  +-' | grep -oE -- '--[a-z][a-z0-9-]*'); do
    grep -q "__fish_seen_subcommand_from $c' .*-l ${o#--} " k.fish || bad "fish: $c lacks $o"
    grep -qE "^    \($c\) compadd -- (.* )?$o( |$)" k.zsh || bad "zsh: $c lacks $o"
  done
done
[ $fail = 0 ] && echo ok
exit $fail
