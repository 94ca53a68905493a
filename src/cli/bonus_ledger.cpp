// bonus-ledger — the internal bonus account (SPEC §6.5, §8.31–§8.35).
//
//   kartoteka bonus-ledger --patients p.csv --visits v.csv --cashback 5
//   kartoteka bonus-ledger --patients p.csv --visits v.csv --cashback 3 --journal --from one.csv
//   kartoteka bonus-ledger --patients p.csv --visits v.csv --adjustments adj.csv --audit
#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <numeric>

#include "cli/common.h"
#include "cli/manual.h"
#include "io/threads.h"
#include "model/errors.h"
#include "rules/ledger.h"
#include "rules/referrals.h"
#include "rules/table.h"

namespace kartoteka {
namespace {

struct LedgerOptions {
  CommonOptions common;
  std::string expire_days = "180", cashback = "0", credit, tiers = "30000:5,45000:10",
              expiring_within = "30", adjustments;
  bool no_referrals = false, journal = false, audit = false, summary = false;
};

// Day counts are whole numbers ≥ 0 (§8.38).
int64_t parse_days(std::string_view option, const std::string& text) {
  int64_t v = 0;
  bool ok = !text.empty() && text.size() <= 6 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (ok)
    for (char c : text) v = v * 10 + (c - '0');
  if (!ok)
    throw UsageError(fmt::format("{} {}: expected a whole number of days ≥ 0", option, text));
  return v;
}

std::vector<uint32_t> id_ranks(const PatientTable& pt) {
  std::vector<uint32_t> order(pt.size()), rank(pt.size());
  std::iota(order.begin(), order.end(), 0u);
  sort_by_id(pt, order);
  for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  return rank;
}

struct AuditRow {
  Day date;
  std::string id, issue;
  Kopecks amount;
};

void run(const LedgerOptions& o) {
  int64_t expire_days = parse_days("--expire-days", o.expire_days);
  int64_t within = parse_days("--expiring-within", o.expiring_within);
  auto pct = parse_percent(o.cashback, 2);
  if (!pct)
    throw UsageError(fmt::format(
        "--cashback {}: expected a percentage ≥ 0 with at most two decimals (e.g. 5 or 2.5)",
        o.cashback));
  Kopecks credit = o.credit.empty() ? 10000 : parse_money_option("--credit", o.credit);
  bool referrals = !o.no_referrals && credit > 0;
  std::vector<Tier> tiers = parse_tiers(o.tiers);

  // The balance list shows name and phone; referral credits read the patients' referrer cell.
  Session s(o.common, true,
            PatientNeeds::none().add(PText::name).add(PText::phone).add(PText::referrer_id));
  const PatientTable& pt = s.patients();
  const Day as_of = s.as_of();
  // Only the journal prints notes; without it the events are smaller.
  // The id ranks order the journal's expiries and break ties in the balance list. Only the
  // journal needs them before the visits; otherwise they are sorted beside the ledger's run.
  std::vector<uint32_t> id_rank;
  if (o.journal) id_rank = id_ranks(pt);
  Ledger ledger = o.journal ? Ledger(std::move(id_rank), expire_days, true)
                            : Ledger::without_ranks(pt.size(), expire_days, false);
  ledger.prefault_ahead(use_two_threads());
  // The balance list needs no journal rows, only accounts and lots.
  const bool balances_only = !o.journal && !o.audit && !o.summary;
  ledger.coalesce_same_day(balances_only);
  NoteArena notes;
  std::vector<AuditRow> unknown;
  // Read before the visits, whose end reports the run's skipped bad rows (adjustments' too).
  std::vector<Adjustment> adj;
  if (!o.adjustments.empty()) adj = read_adjustments(o.adjustments, s.input_options(), s.diag());
  for (uint32_t i = 0; i < adj.size(); ++i) {
    const Adjustment& a = adj[i];
    if (a.amount == 0 || a.date > as_of) continue;  // not events (§8.32)
    uint32_t p = pt.find(a.patient_id);
    if (p == PatientTable::kNotFound) {
      unknown.push_back({a.date, a.patient_id, "unknown_patient", a.amount});
      continue;
    }
    bool debit = a.amount < 0;
    ledger.add({debit ? -a.amount : a.amount, o.journal ? notes.add(a.note) : NoteRef{}, a.date, p,
                i, debit ? LedgerKind::AdjustDebit : LedgerKind::AdjustCredit});
  }

  std::optional<ReferralFacts> facts;
  if (referrals) facts.emplace(pt.size(), as_of);

  VisitObserver observe;
  observe.see = [&](const VisitRow& r) {
    if (facts) facts->add(r);
    if (!is_counted(r, as_of)) return;
    NoteRef note = NoteArena::kEmpty;
    if (r.bonus_paid > 0) {
      if (o.journal) note = notes.add(r.visit_id);
      ledger.add({r.bonus_paid, note, r.date, r.patient, static_cast<uint32_t>(r.seq),
                  LedgerKind::Redeem});
    }
    if (Kopecks k = cashback(r.amount, r.bonus_paid, *pct); k > 0) {
      if (o.journal && note == NoteArena::kEmpty) note = notes.add(r.visit_id);
      ledger.add({k, note, r.date, r.patient, static_cast<uint32_t>(r.seq), LedgerKind::Cashback});
    }
  };
  // The ledger appends to a few hundred hot blocks; the referral facts are a line per patient.
  if (facts) observe.ahead = [&](const VisitRow& r) { facts->prefetch(r); };
  VisitFold fold = s.fold_visits(StatsNeeds{}, observe);
  // The balance list's tie-break, sorted on the other core while the referrals and the ledger run.
  std::future<std::vector<uint32_t>> list_rank;
  if (balances_only) list_rank = std::async(std::launch::async, [&pt] { return id_ranks(pt); });

  if (facts) {
    // A day's referral credits go by new_id (§8.31): seq is the new patient's rank in byte order.
    std::vector<Referral> found = find_referrals(pt, *facts, fold);
    std::erase_if(found, [](const Referral& r) { return !r.qualifies(); });
    // Found in patients-file order, often already by id: then checking is all it takes.
    auto by_id = [&](const Referral& a, const Referral& b) {
      return pt.id(a.patient) < pt.id(b.patient);
    };
    if (!std::is_sorted(found.begin(), found.end(), by_id)) {
      std::vector<uint64_t> head(pt.size());
      for (const Referral& r : found) head[r.patient] = id_order_head(pt.id(r.patient));
      std::sort(found.begin(), found.end(), [&](const Referral& a, const Referral& b) {
        return id_before(pt, a.patient, head[a.patient], b.patient, head[b.patient]);
      });
    }
    for (uint32_t i = 0; i < found.size(); ++i)
      ledger.add({credit, o.journal ? notes.add(pt.id(found[i].patient)) : NoteRef{}, found[i].date,
                  found[i].referrer, i, LedgerKind::Referral});
  }

  // --from and --contactable scope what is reported, never the ledger itself (§4, §8.35).
  std::vector<uint32_t> population = s.population();
  std::vector<bool> in_pop(pt.size(), false);
  for (uint32_t p : population) in_pop[p] = true;
  const bool scoped = s.from() || o.common.contactable;

  // --journal streams its rows as the ledger produces them: the journal is as long as the visits.
  std::optional<Session::Output> journal;
  std::vector<std::string> cells;
  if (o.journal) {
    journal.emplace(s.output());
    const std::vector<std::string> titles = {"date", "id", "kind", "amount", "balance", "note"};
    journal->titles(titles);
    cells.resize(titles.size());
  }
  Table table;
  MonthSummary months;
  std::vector<AuditRow> audit;
  // Only the journal needs the rows in processing order; the audit sorts its own rows, the
  // summary adds them up, balances need none.
  std::function<void(const JournalEntry&)> sink;
  if (o.journal || o.summary || o.audit)
    sink = [&](const JournalEntry& e) {
      if (!in_pop[e.patient]) return;
      if (journal) {
        set_date(cells[0], e.date);
        set_cell(cells[1], pt.id(e.patient));
        set_cell(cells[2], kind_name(e.kind));
        set_money(cells[3], e.amount);
        set_money(cells[4], e.balance);
        cells[5] = notes.get(e.note);
        journal->row(cells);
      } else if (o.summary) {
        months.add(e);
      } else if (o.audit && e.shortfall > 0) {
        audit.push_back({e.date, std::string(pt.id(e.patient)), "overdraft", e.shortfall});
      }
    };
  ledger.run(as_of, sink, o.journal ? JournalOrder::Processing : JournalOrder::PerPatient,
             use_two_threads());

  if (journal) {
    journal->finish();
  } else if (o.summary) {
    table.titles = {"month", "issued", "redeemed", "expired", "outstanding"};
    for (const MonthRow& m : months.finish(as_of))
      table.rows.push_back({fmt::format("{:04}-{:02}", m.year, m.month), format_money(m.issued),
                            format_money(m.redeemed), format_money(m.expired),
                            format_money(m.outstanding)});
    s.write(table);
  } else if (o.audit) {
    if (!scoped) {
      // Within a day and card: debits before credits, each in file order (processing order).
      std::stable_sort(unknown.begin(), unknown.end(), [](const AuditRow& a, const AuditRow& b) {
        return (a.amount < 0) > (b.amount < 0);
      });
      audit.insert(audit.end(), unknown.begin(), unknown.end());
    }
    std::stable_sort(audit.begin(), audit.end(), [](const AuditRow& a, const AuditRow& b) {
      if (a.date != b.date) return a.date < b.date;
      return a.id < b.id;
    });
    table.titles = {"date", "id", "issue", "amount"};
    for (const AuditRow& a : audit)
      table.rows.push_back({format_date(a.date), a.id, a.issue, format_money(a.amount)});
    s.write(table);
  } else {
    id_rank = list_rank.get();
    // The sort keys are copied beside the patient: comparing through the ledger and the ranks
    // would cost two cache misses a comparison. Ranks are distinct, so the order is total.
    struct Listed {
      Kopecks balance;
      uint32_t rank, patient;
    };
    std::vector<Listed> keyed;
    for (uint32_t p : population)
      if (fold.stats(p).visits > 0 || ledger.account(p).has_journal)
        keyed.push_back({ledger.account(p).balance, id_rank[p], p});
    std::sort(keyed.begin(), keyed.end(), [](const Listed& a, const Listed& b) {
      if (a.balance != b.balance) return a.balance > b.balance;
      return a.rank < b.rank;
    });
    std::vector<uint32_t> listed(keyed.size());
    for (size_t i = 0; i < keyed.size(); ++i) listed[i] = keyed[i].patient;
    keyed = {};
    std::vector<std::string> titles = {"id",       "name",        "phone",        "balance",
                                       "expiring", "next_expiry", "earned",       "redeemed",
                                       "expired",  "spent",       "discount_pct", "next_tier_gap"};
    const FromColumns from_columns(s.from(), titles);
    Session::Output out = s.output();
    out.titles(titles);
    out.rows(listed.size(), titles.size(), [&] {
      return [&](size_t i, std::vector<std::string>& cells) {
        prefetch_listed(pt, &fold, i, listed.size(), [&](size_t j) { return listed[j]; });
        if (i + kListRowAhead < listed.size()) ledger.prefetch(listed[i + kListRowAhead]);
        const uint32_t p = listed[i];
        const Account& a = ledger.account(p);
        Kopecks spent = fold.stats(p).spent;
        TierStanding t = tier_standing(tiers, spent);
        set_cell(cells[0], pt.id(p));
        set_cell(cells[1], pt.text(p, PText::name));
        set_cell(cells[2], pt.text(p, PText::phone));
        set_money(cells[3], a.balance);
        set_money(cells[4], ledger.expiring(p, as_of + static_cast<Day>(within)));
        set_date(cells[5], ledger.next_expiry(p));
        set_money(cells[6], a.earned);
        set_money(cells[7], a.redeemed);
        set_money(cells[8], a.expired);
        set_money(cells[9], spent);
        cells[10] = format_percent(t.pct, kTierDecimals);
        if (t.gap)
          set_money(cells[11], *t.gap);
        else
          cells[11].clear();
        from_columns.fill(cells, p);
      };
    });
    out.finish();
  }
}

}  // namespace

void register_bonus_ledger(CLI::App& app, std::vector<std::pair<CLI::App*, CommandRunner>>& out) {
  auto o = std::make_shared<LedgerOptions>();
  CLI::App* cmd =
      app.add_subcommand("bonus-ledger", "The internal bonus account: balances, journal, audit");
  add_common_options(*cmd, o->common);
  cmd->add_option("--expire-days", o->expire_days,
                  "a lot expires N days after its date (0 = never)")
      ->type_name("DAYS")
      ->default_str("180");
  cmd->add_option("--cashback", o->cashback, "cashback PCT of the money paid (up to 2 decimals)")
      ->type_name("PCT")
      ->default_str("0");
  auto* credit = cmd->add_option("--credit", o->credit, "referral credit in rubles")
                     ->type_name("RUB")
                     ->default_str("100");
  auto* no_ref = cmd->add_flag("--no-referrals", o->no_referrals, "no referral credits");
  credit->excludes(no_ref);
  no_ref->excludes(credit);
  cmd->add_option("--adjustments", o->adjustments,
                  "manual adjustments: date,patient_id,amount,note")
      ->type_name("FILE");
  cmd->add_option("--tiers", o->tiers, "discount scale RUB:PCT,... by spent")
      ->type_name("RUB:PCT,...")
      ->default_str("30000:5,45000:10");
  cmd->add_option("--expiring-within", o->expiring_within, "DAYS for the expiring column")
      ->type_name("DAYS")
      ->default_str("30");
  auto* journal = cmd->add_flag("--journal", o->journal, "every ledger row in processing order");
  auto* audit = cmd->add_flag("--audit", o->audit, "overdrafts and adjustments for unknown cards");
  auto* summary =
      cmd->add_flag("--summary", o->summary, "issued, redeemed, expired, outstanding by month");
  journal->excludes(audit)->excludes(summary);
  audit->excludes(journal)->excludes(summary);
  summary->excludes(journal)->excludes(audit);
  cmd->footer(
      "Examples:\n"
      "  kartoteka bonus-ledger --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --cashback 5 --tiers 30000:5,45000:10 --expiring-within 30\n"
      "  echo id > one.csv; echo 000326 >> one.csv\n"
      "  kartoteka bonus-ledger --patients patients.csv --visits visits.csv --as-of 2026-11-22 \\\n"
      "      --cashback 3 --adjustments adjustments.csv --journal --from one.csv");
  set_manual(*cmd,
             {"The internal bonus account: cashback on the money paid and referral credits are "
              "earned, bonus_paid on visits is redeemed, lots expire --expire-days after their "
              "date (oldest spent first), manual --adjustments are applied; with the discount "
              "scale of --tiers by money spent.",
              "Default: "
              "id,name,phone,balance,expiring,next_expiry,earned,redeemed,expired,spent,discount_"
              "pct,next_tier_gap, one row per patient.\n"
              "\n"
              "With --journal: date,id,kind,amount,balance,note, every ledger row in processing "
              "order. With --audit: date,id,issue,amount (overdraft, unknown_patient). With "
              "--summary: month,issued,redeemed,expired,outstanding."});
  out.emplace_back(cmd, [o] { run(*o); });
}

}  // namespace kartoteka
