#include "rules/report_months.h"

#include <algorithm>

#include "base/prefetch.h"
#include "model/visit_key.h"
#include "rules/ru_format.h"

namespace kartoteka {

MonthWindow MonthWindow::ending_at(Day as_of, int months) {
  MonthWindow w;
  w.count = months;
  w.first = month_index(as_of) - months + 1;
  w.starts.clear();
  for (int m = w.first; m <= w.first + months; ++m) w.starts.push_back(first_day_of_month(m));
  return w;
}

VisitMonths::VisitMonths(MonthWindow window, Day as_of)
    : window_(window), as_of_(as_of), revenue_(static_cast<size_t>(window.count), 0) {
  slots_.assign(1 << 16, Slot{0, kEmpty, 0});  // 1 MB: a small clinic never grows it
}

uint64_t VisitMonths::key_of_known(const VisitRow& r) const {
  return packed_visit_key(r);  // 0 for a long visit_id: only key_of() knows its number
}

uint64_t VisitMonths::key_of(const VisitRow& r) {
  if (const uint64_t k = key_of_known(r); k != 0 || r.visit_id.empty()) return k;
  constexpr uint64_t kString = 3ull << 62;
  auto [it, added] =
      long_ids_.try_emplace(std::string(r.visit_id), static_cast<uint32_t>(long_ids_.size()));
  return kString | it->second;
}

uint64_t VisitMonths::hash(uint32_t patient, uint64_t key) {
  uint64_t h = key ^ (static_cast<uint64_t>(patient) * 0x9e3779b97f4a7c15ULL);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 29;
  return h;
}

void VisitMonths::prefetch(const VisitRow& r) const {
  if (r.status != Status::Completed || r.date > as_of_ || r.amount < 0) return;
  const uint64_t key = key_of_known(r);
  if (key == 0 && !r.visit_id.empty()) return;
  ahead_[r.seq % kAhead] = {r.seq, key};
  prefetch_read(&slots_[hash(r.patient, key) & (slots_.size() - 1)]);
}

void VisitMonths::add(const VisitRow& r) {
  if (!is_counted(r, as_of_)) return;
  if (const int s = window_.slot(r.date); s >= 0) revenue_[static_cast<size_t>(s)] += r.amount;
  if (r.amount < 0) return;  // a refund: money only, never a visit (§2.6)
  const Ahead& a = ahead_[r.seq % kAhead];
  const uint64_t key = a.seq == r.seq ? a.key : key_of(r);
  if (r.patient == last_patient_ && key == last_key_) {
    Slot& s = slots_[last_slot_];
    s.day = std::min(s.day, r.date);
    return;
  }
  if (4 * (used_ + 1) > 3 * slots_.size()) grow();  // at most three quarters full
  const size_t mask = slots_.size() - 1;
  size_t i = hash(r.patient, key) & mask;
  while (slots_[i].patient != kEmpty && (slots_[i].patient != r.patient || slots_[i].key != key))
    i = (i + 1) & mask;
  Slot& s = slots_[i];
  if (s.patient == kEmpty) {
    s = Slot{key, r.patient, r.date};
    ++used_;
  } else {
    s.day = std::min(s.day, r.date);
  }
  last_patient_ = r.patient, last_key_ = key, last_slot_ = i;
}

void VisitMonths::grow() {
  std::vector<Slot> old(slots_.size() * 2, Slot{0, kEmpty, 0});
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.patient == kEmpty) continue;
    size_t i = hash(s.patient, s.key) & mask;
    while (slots_[i].patient != kEmpty) i = (i + 1) & mask;
    slots_[i] = s;
  }
  last_patient_ = kEmpty;  // its slot has moved
}

Table VisitMonths::table(const VisitFold& fold) const {
  const auto n = static_cast<size_t>(window_.count);
  std::vector<int64_t> fresh(n, 0), patients(n, 0), visits(n, 0);
  // Distinct (patient, month) pairs of the window's visits: patient × count + slot, deduplicated.
  std::vector<uint64_t> pairs;
  for (const Slot& s : slots_) {
    if (s.patient == kEmpty) continue;
    const int m = window_.slot(s.day);
    if (m < 0) continue;
    ++visits[static_cast<size_t>(m)];
    pairs.push_back(uint64_t{s.patient} * n + static_cast<uint64_t>(m));
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (uint64_t pair : pairs) ++patients[pair % n];
  for (uint32_t p = 0; p < fold.size(); ++p)
    if (const int m = window_.slot(fold.stats(p).first_visit); m >= 0)
      ++fresh[static_cast<size_t>(m)];
  // §8.60: the counts, `revenue` money.
  Table t;
  t.columns = {col::text("month"), col::count("new_patients"), col::count("patients"),
               col::count("visits"), col::money("revenue")};
  for (size_t m = 0; m < n; ++m)
    t.rows.push_back({month_label(window_.index(static_cast<int>(m))), std::to_string(fresh[m]),
                      std::to_string(patients[m]), std::to_string(visits[m]),
                      format_money(revenue_[m])});
  return t;
}

}  // namespace kartoteka
