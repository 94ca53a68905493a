#include "model/visit_stats.h"

#include <algorithm>

namespace kartoteka {

uint32_t StringPool::intern(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  strings_.emplace_back(s);
  uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
  ids_.emplace(strings_.back(), id);
  return id;
}

VisitFold::VisitFold(size_t patients, Day as_of, StatsNeeds needs)
    : as_of_(as_of), needs_(needs), stats_(patients) {
  keys_.assign(1 << 16, Key{UINT32_MAX, 0, 0});
  if (needs.services) services_.resize(patients);
  if (needs.service_categories) categories_.resize(patients);
  if (needs.doctors) doctors_.resize(patients);
  if (needs.home_branch) branches_.resize(patients);
  if (needs.visit_dates) dates_.resize(patients);
}

// Visit identity (§8.15): rows with a visit_id are keyed by it, rows without by their date; the
// two kinds never merge. The top two bits tag the kind so the keys cannot collide.
uint64_t VisitFold::visit_key(const VisitRow& r) {
  constexpr uint64_t kDate = 0, kNumber = 1ull << 62, kString = 2ull << 62;
  if (r.visit_id.empty()) return kDate | static_cast<uint32_t>(r.date);
  const auto& v = r.visit_id;
  bool numeric = v.size() <= 18 && (v[0] != '0' || v.size() == 1) &&
                 std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) {
    uint64_t n = 0;
    for (char c : v) n = n * 10 + static_cast<uint64_t>(c - '0');
    return kNumber | n;
  }
  auto it = visit_ids_.find(std::string(v));
  if (it == visit_ids_.end())
    it = visit_ids_.emplace(std::string(v), static_cast<uint32_t>(visit_ids_.size())).first;
  return kString | it->second;
}

bool VisitFold::insert_key(const Key& k) {
  if ((key_count_ + 1) * 2 > keys_.size()) {
    std::vector<Key> old(keys_.size() * 2, Key{UINT32_MAX, 0, 0});
    old.swap(keys_);
    key_count_ = 0;
    for (const auto& o : old)
      if (o.patient != UINT32_MAX) insert_key(o);
  }
  size_t mask = keys_.size() - 1;
  uint64_t h = (k.visit ^ (static_cast<uint64_t>(k.patient) << 32 | k.extra)) *
               0x9E3779B97F4A7C15ull;
  size_t i = static_cast<size_t>(h >> 20) & mask;
  while (keys_[i].patient != UINT32_MAX) {
    if (keys_[i] == k) return false;
    i = (i + 1) & mask;
  }
  keys_[i] = k;
  ++key_count_;
  return true;
}

namespace {
void add_distinct(std::vector<uint32_t>& set, uint32_t id) {
  if (std::find(set.begin(), set.end(), id) == set.end()) set.push_back(id);
}
}  // namespace

void VisitFold::add(const VisitRow& r) {
  VisitStats& s = stats_[r.patient];
  if (is_upcoming(r, as_of_)) s.upcoming = true;
  if (!is_counted(r, as_of_)) return;
  if (needs_.since != kNoDay && r.date < needs_.since) return;
  s.spent += r.amount;
  if (r.amount < 0) return;  // a refund: money only, never activity (§2.6)

  Key k{r.patient, 0, visit_key(r)};
  bool new_visit = !(k == last_key_) && insert_key(k);
  last_key_ = k;
  if (new_visit) ++s.visits;
  if (s.first_visit == kNoDay || r.date < s.first_visit) s.first_visit = r.date;
  if (s.last_visit == kNoDay || r.date > s.last_visit) s.last_visit = r.date;

  if (needs_.services && !r.service.empty()) add_distinct(services_[r.patient], pool_.intern(r.service));
  if (needs_.service_categories && !r.service_category.empty())
    add_distinct(categories_[r.patient], pool_.intern(r.service_category));
  if (needs_.doctors && !r.doctor.empty()) add_distinct(doctors_[r.patient], pool_.intern(r.doctor));
  if (needs_.visit_dates) {
    auto& d = dates_[r.patient];
    if (d.empty() || d.back() != r.date) d.push_back(r.date);
  }
  if (needs_.home_branch && !r.branch.empty()) {
    uint32_t b = pool_.intern(r.branch);
    auto& list = branches_[r.patient];
    auto it = std::find_if(list.begin(), list.end(), [&](const BranchCount& c) { return c.branch == b; });
    if (it == list.end()) {
      list.push_back({b, 0, r.date});
      it = list.end() - 1;
    }
    if (insert_key(Key{r.patient, b + 1, k.visit})) ++it->visits;
    it->last = std::max(it->last, r.date);
  }
}

void VisitFold::finish() {
  for (auto& d : dates_) {
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
  }
}

std::vector<std::string_view> VisitFold::strings(const std::vector<std::vector<uint32_t>>& sets,
                                                 uint32_t p) const {
  std::vector<std::string_view> out;
  if (sets.empty()) return out;
  for (uint32_t id : sets[p]) out.push_back(pool_.get(id));
  std::sort(out.begin(), out.end());
  return out;
}

std::string_view VisitFold::home_branch(uint32_t p) const {
  if (branches_.empty()) return {};
  const BranchCount* best = nullptr;
  for (const auto& c : branches_[p]) {
    if (!best || c.visits > best->visits ||
        (c.visits == best->visits &&
         (c.last > best->last || (c.last == best->last && pool_.get(c.branch) < pool_.get(best->branch)))))
      best = &c;
  }
  return best ? pool_.get(best->branch) : std::string_view{};
}

}  // namespace kartoteka
