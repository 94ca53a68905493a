#include "rules/ledger_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "model/errors.h"
#include "model/whole_number.h"

namespace kartoteka {
namespace {

// Only the journal prints notes and needs the processing order across patients (its id ranks);
// without it the events are smaller and the ranks are not sorted before the visits.
Ledger make_ledger(const PatientTable& pt, int64_t expire_days, LedgerView view) {
  if (view == LedgerView::Journal) return Ledger(id_ranks(pt), expire_days, true);
  return Ledger::without_ranks(pt.size(), expire_days, false);
}

}  // namespace

std::optional<int64_t> parse_whole_days(std::string_view text) {
  return parse_whole_number(text, 6);
}

int64_t parse_days(std::string_view option, std::string_view text) {
  std::optional<int64_t> v = parse_whole_days(text);
  if (!v) throw UsageError(fmt::format("{} {}: expected a whole number of days ≥ 0", option, text));
  return *v;
}

std::vector<uint32_t> id_ranks(const PatientTable& pt) {
  std::vector<uint32_t> order(pt.size()), rank(pt.size());
  std::iota(order.begin(), order.end(), 0u);
  sort_by_id(pt, order);
  for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  return rank;
}

std::vector<Referral> credited_referrals(const PatientTable& pt, const ReferralFacts& facts,
                                         const VisitFold& visits) {
  std::vector<Referral> found = find_referrals(pt, facts, visits);
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
  return found;
}

LedgerBook::LedgerBook(const PatientTable& patients, Day as_of, const LedgerRules& rules,
                       LedgerView view, bool two_threads)
    : pt_(patients),
      as_of_(as_of),
      rules_(rules),
      view_(view),
      two_threads_(two_threads),
      ledger_(make_ledger(patients, rules.expire_days, view)) {
  ledger_.prefault_ahead(two_threads);
  // The balance list needs no journal rows, only accounts and lots.
  ledger_.coalesce_same_day(view == LedgerView::Balances);
  if (rules_.referrals()) facts_.emplace(pt_.size(), as_of_);
}

void LedgerBook::add_adjustments(const std::vector<Adjustment>& adjustments) {
  const bool notes = view_ == LedgerView::Journal;
  for (uint32_t i = 0; i < adjustments.size(); ++i) {
    const Adjustment& a = adjustments[i];
    if (a.amount == 0 || a.date > as_of_) continue;  // not events (§8.32)
    uint32_t p = pt_.find(a.patient_id);
    if (p == PatientTable::kNotFound) {
      unknown_.push_back({a.date, a.patient_id, a.amount});
      continue;
    }
    bool debit = a.amount < 0;
    ledger_.add({debit ? -a.amount : a.amount, notes ? notes_.add(a.note) : NoteRef{}, a.date, p, i,
                 debit ? LedgerKind::AdjustDebit : LedgerKind::AdjustCredit});
  }
}

void LedgerBook::see(const VisitRow& r) {
  if (facts_) facts_->add(r);
  if (!is_counted(r, as_of_)) return;
  const bool notes = view_ == LedgerView::Journal;
  NoteRef note = NoteArena::kEmpty;
  if (r.bonus_paid > 0) {
    if (notes) note = notes_.add(r.visit_id);
    ledger_.add(
        {r.bonus_paid, note, r.date, r.patient, static_cast<uint32_t>(r.seq), LedgerKind::Redeem});
  }
  if (Kopecks k = cashback(r.amount, r.bonus_paid, rules_.cashback); k > 0) {
    if (notes && note == NoteArena::kEmpty) note = notes_.add(r.visit_id);
    ledger_.add({k, note, r.date, r.patient, static_cast<uint32_t>(r.seq), LedgerKind::Cashback});
  }
}

void LedgerBook::finish(const VisitFold& visits) {
  // The balance list's tie-break, sorted on the other core while the referrals and the ledger run.
  if (view_ == LedgerView::Balances)
    list_rank_ = std::async(std::launch::async, [&pt = pt_] { return id_ranks(pt); });
  if (!facts_) return;
  // A day's referral credits go by new_id (§8.31): seq is the new patient's rank in byte order.
  std::vector<Referral> found = credited_referrals(pt_, *facts_, visits);
  const bool notes = view_ == LedgerView::Journal;
  for (uint32_t i = 0; i < found.size(); ++i)
    ledger_.add({rules_.credit, notes ? notes_.add(pt_.id(found[i].patient)) : NoteRef{},
                 found[i].date, found[i].referrer, i, LedgerKind::Referral});
}

std::vector<bool> population_flags(size_t patients, const std::vector<uint32_t>& population) {
  std::vector<bool> in(patients, false);
  for (uint32_t p : population) in[p] = true;
  return in;
}

void ledger_journal(LedgerBook& book, const std::vector<uint32_t>& population, RowSink& out) {
  const PatientTable& pt = book.patients();
  const std::vector<bool> in = population_flags(pt.size(), population);
  const std::vector<Column> columns = {col::date("date"),     col::id("id"),
                                       col::text("kind"),     col::money("amount"),
                                       col::money("balance"), col::text("note")};
  out.columns(columns);
  std::vector<std::string> cells(columns.size());
  auto row = [&](const JournalEntry& e) {
    if (!in[e.patient]) return;
    set_date(cells[0], e.date);
    set_cell(cells[1], pt.id(e.patient));
    set_cell(cells[2], kind_name(e.kind));
    set_money(cells[3], e.amount);
    set_money(cells[4], e.balance);
    cells[5] = book.notes().get(e.note);
    out.row(cells);
  };
  book.ledger().run(book.as_of(), row, JournalOrder::Processing);
}

Table ledger_audit(LedgerBook& book, const std::vector<uint32_t>& population, bool narrowed) {
  const PatientTable& pt = book.patients();
  const std::vector<bool> in = population_flags(pt.size(), population);
  std::vector<LedgerBook::Unknown> rows;
  book.ledger().run(
      book.as_of(),
      [&](const JournalEntry& e) {
        if (in[e.patient] && e.shortfall > 0)
          rows.push_back({e.date, std::string(pt.id(e.patient)), e.shortfall});
      },
      JournalOrder::PerPatient);
  const size_t overdrafts = rows.size();
  if (!narrowed) {
    std::vector<LedgerBook::Unknown> unknown = book.unknown();
    // Within a day and card: debits before credits, each in file order (processing order).
    std::stable_sort(unknown.begin(), unknown.end(),
                     [](const auto& a, const auto& b) { return (a.amount < 0) > (b.amount < 0); });
    rows.insert(rows.end(), unknown.begin(), unknown.end());
  }
  // Stable: a card's rows of one day stay in processing order, overdrafts before unknown cards
  // (a card is one or the other).
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rows[a].date != rows[b].date) return rows[a].date < rows[b].date;
    return rows[a].id < rows[b].id;
  });
  Table t;
  t.columns = {col::date("date"), col::id("id"), col::text("issue"), col::money("amount")};
  for (size_t i : order)
    t.rows.push_back({format_date(rows[i].date), rows[i].id,
                      i < overdrafts ? "overdraft" : "unknown_patient",
                      format_money(rows[i].amount)});
  return t;
}

std::vector<MonthRow> ledger_months(LedgerBook& book, const std::vector<uint32_t>& population) {
  const std::vector<bool> in = population_flags(book.patients().size(), population);
  MonthSummary months;
  book.ledger().run(
      book.as_of(),
      [&](const JournalEntry& e) {
        if (in[e.patient]) months.add(e);
      },
      JournalOrder::PerPatient);
  return months.finish(book.as_of());
}

Table month_table(const std::vector<MonthRow>& months) {
  Table t;
  t.columns = {col::text("month"), col::money("issued"), col::money("redeemed"),
               col::money("expired"), col::money("outstanding")};
  for (const MonthRow& m : months)
    t.rows.push_back({fmt::format("{:04}-{:02}", m.year, m.month), format_money(m.issued),
                      format_money(m.redeemed), format_money(m.expired),
                      format_money(m.outstanding)});
  return t;
}

Table ledger_summary(LedgerBook& book, const std::vector<uint32_t>& population) {
  return month_table(ledger_months(book, population));
}

namespace {

// The balance list's patients in output order: balance desc, then id. The sort keys are copied
// beside the patient: comparing through the ledger and the ranks would cost two cache misses a
// comparison. Ranks are distinct, so the order is total.
std::vector<uint32_t> listed_by_balance(const Ledger& ledger, const VisitFold& visits,
                                        const std::vector<uint32_t>& population,
                                        const std::vector<uint32_t>& id_rank) {
  struct Listed {
    Kopecks balance;
    uint32_t rank, patient;
  };
  std::vector<Listed> keyed;
  for (uint32_t p : population)
    if (visits.stats(p).visits > 0 || ledger.account(p).has_journal)
      keyed.push_back({ledger.account(p).balance, id_rank[p], p});
  std::sort(keyed.begin(), keyed.end(), [](const Listed& a, const Listed& b) {
    if (a.balance != b.balance) return a.balance > b.balance;
    return a.rank < b.rank;
  });
  std::vector<uint32_t> listed(keyed.size());
  for (size_t i = 0; i < keyed.size(); ++i) listed[i] = keyed[i].patient;
  return listed;
}

}  // namespace

void ledger_balances(LedgerBook& book, const VisitFold& visits,
                     const std::vector<uint32_t>& population, const BalanceTerms& terms,
                     const FromList* from, RowSink& out) {
  const PatientTable& pt = book.patients();
  const Ledger& ledger = book.ledger();
  const Day as_of = book.as_of();
  book.ledger().run(as_of, {}, JournalOrder::PerPatient, book.two_threads());
  const std::vector<uint32_t> listed =
      listed_by_balance(ledger, visits, population, book.take_list_ranks());
  std::vector<Column> columns = patient_list_head();
  columns.insert(columns.end(),
                 {col::money("balance"), col::money("expiring"), col::date("next_expiry"),
                  col::money("earned"), col::money("redeemed"), col::money("expired"),
                  col::money("spent"), col::decimal("discount_pct"), col::money("next_tier_gap")});
  const FromColumns from_columns(from, columns);
  const Day until = as_of + static_cast<Day>(terms.expiring_within);
  out.columns(columns);
  out.rows(listed.size(), columns.size(), [&] {
    return [&](size_t i, std::vector<std::string>& cells) {
      prefetch_listed(pt, &visits, i, listed.size(), [&](size_t j) { return listed[j]; });
      if (i + kListRowAhead < listed.size()) ledger.prefetch(listed[i + kListRowAhead]);
      const uint32_t p = listed[i];
      const Account& a = ledger.account(p);
      Kopecks spent = visits.stats(p).spent;
      TierStanding t = tier_standing(terms.tiers, spent);
      set_cell(cells[0], pt.id(p));
      set_cell(cells[1], pt.text(p, PText::name));
      set_cell(cells[2], pt.text(p, PText::phone));
      set_money(cells[3], a.balance);
      set_money(cells[4], ledger.expiring(p, until));
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
}

}  // namespace kartoteka
