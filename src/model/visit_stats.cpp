#include "model/visit_stats.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "model/huge_pages.h"

namespace kartoteka {

uint32_t StringPool::intern(std::string_view s) {
  size_t slot = s.size() * 31;
  if (!s.empty()) slot += static_cast<unsigned char>(s[0]) * 7 + static_cast<unsigned char>(s[s.size() - 1]) +
                          static_cast<unsigned char>(s[s.size() / 2]) * 131;
  slot &= 255;
  if (uint32_t r = recent_[slot]; r != 0 && strings_[r - 1] == s) return r - 1;
  auto it = ids_.find(s);
  if (it != ids_.end()) {
    recent_[slot] = it->second + 1;
    return it->second;
  }
  strings_.emplace_back(s);
  uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
  ids_.emplace(strings_.back(), id);
  recent_[slot] = id + 1;
  return id;
}

VisitFold::VisitFold(size_t patients, Day as_of, StatsNeeds needs)
    : as_of_(as_of), needs_(needs) {
  states_.reserve(patients);
  advise_huge(states_.data(), patients * sizeof(PatientState));
  states_.resize(patients);
  // Typical: a few chunks a patient. Untouched reserve costs no resident memory.
  pool_bytes_.reserve((patients * 4 + 1024) * kChunk);
  advise_huge(pool_bytes_.data(), pool_bytes_.capacity());
  pool_bytes_.resize(kChunk);  // chunk 0 means "none"
  if (needs.services) services_.resize(patients);
  if (needs.service_categories) categories_.resize(patients);
  if (needs.doctors) doctors_.resize(patients);
  if (needs.home_branch) branches_.resize(patients);
  if (needs.visit_dates) dates_.resize(patients);
}

// Visit identity (§8.15): rows with a visit_id are keyed by it, rows without by their date; the
// two kinds never merge. The top two bits tag the kind so the keys cannot collide:
//   0: a date; 1: up to 17 digits, as (digit count, number), so `007` ≠ `7`;
//   2: other text of up to 7 bytes, packed with its length; 3: longer text, interned.
uint64_t VisitFold::visit_key(const VisitRow& r) {
  constexpr uint64_t kDate = 0, kNumber = 1ull << 62, kShort = 2ull << 62, kString = 3ull << 62;
  if (r.visit_id.empty()) return kDate | static_cast<uint32_t>(r.date);
  const auto& v = r.visit_id;
  if (v.size() <= 17) {
    uint64_t n = 0;
    bool digits = true;
    for (char c : v) {
      unsigned d = static_cast<unsigned char>(c) - '0';
      digits &= d <= 9;
      n = n * 10 + d;
    }
    if (digits) return kNumber | static_cast<uint64_t>(v.size()) << 57 | n;
  }
  if (v.size() <= 7) {
    uint64_t w = 0;
    for (size_t i = 0; i < v.size(); ++i) w |= static_cast<uint64_t>(static_cast<unsigned char>(v[i])) << (8 * i);
    return kShort | static_cast<uint64_t>(v.size()) << 56 | w;
  }
  auto it = visit_ids_.find(std::string(v));
  if (it == visit_ids_.end())
    it = visit_ids_.emplace(std::string(v), static_cast<uint32_t>(visit_ids_.size())).first;
  return kString | it->second;
}

void VisitFold::put_byte(Seen& s, uint8_t b) {
  if (s.first == 0 || s.used == kChunk - 4) {
    size_t n = pool_bytes_.size() / kChunk;
    if (n > UINT32_MAX) throw std::length_error("too many visits");
    pool_bytes_.resize(pool_bytes_.size() + kChunk);
    auto idx = static_cast<uint32_t>(n);
    if (s.first == 0) s.first = idx;
    else std::memcpy(pool_bytes_.data() + size_t{s.cur} * kChunk, &idx, 4);
    s.cur = idx, s.used = 0;
  }
  pool_bytes_[size_t{s.cur} * kChunk + 4 + s.used++] = b;
}

void VisitFold::put_varint(Seen& s, uint64_t v) {
  while (v >= 0x80) {
    put_byte(s, static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  put_byte(s, static_cast<uint8_t>(v));
}

// Entries: zigzag(visit − previous entry's visit) as a varint, then (with home_branch) the
// branch id + 1 as a varint (0 = the visit itself).
template <class F>
void VisitFold::for_each_key(const Seen& s, F&& f) const {
  if (s.first == 0) return;
  const bool branches = needs_.home_branch;
  uint32_t chunk = s.first;
  size_t at = 0;
  auto next_byte = [&]() -> uint8_t {
    if (at == kChunk - 4) {
      std::memcpy(&chunk, pool_bytes_.data() + size_t{chunk} * kChunk, 4);
      at = 0;
    }
    return pool_bytes_[size_t{chunk} * kChunk + 4 + at++];
  };
  auto done = [&] { return chunk == s.cur && at == s.used; };
  auto varint = [&] {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      uint8_t b = next_byte();
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  uint64_t key = 0;
  while (!done()) {
    uint64_t z = varint();
    key += (z & 1) ? ~(z >> 1) : (z >> 1);
    uint32_t b = branches ? static_cast<uint32_t>(varint()) : 0;
    if (f(key, b)) return;
  }
}

bool VisitFold::scan(const Seen& s, uint64_t visit, uint32_t branch) const {
  bool found = false;
  for_each_key(s, [&](uint64_t key, uint32_t b) { return found = key == visit && b == branch; });
  return found;
}

bool VisitFold::insert_key(Seen& s, uint64_t visit, uint32_t branch) {
  if (s.first != 0) {
    if (visit == s.last && branch == s.last_branch) return false;
    // The visit's own entry (visit, 0) precedes its branch entries: the second row of a visit
    // whose branch entry came last is known without a scan.
    if (visit == s.last && branch == 0) return false;
    // (visit, branch) right after (visit, 0) is new: entries of a visit follow its own entry.
    bool fresh = visit > s.max || (branch != 0 && visit == s.last && s.last_branch == 0);
    if (!fresh && scan(s, visit, branch)) return false;
  }
  uint64_t d = visit - s.last;  // wraps; zigzag of the signed difference
  int64_t sd = static_cast<int64_t>(d);
  put_varint(s, (static_cast<uint64_t>(sd) << 1) ^ static_cast<uint64_t>(sd >> 63));
  if (needs_.home_branch) put_varint(s, branch);
  s.last = visit, s.last_branch = branch;
  if (visit > s.max) s.max = visit;
  return true;
}

namespace {
void add_distinct(std::vector<uint32_t>& set, uint32_t id) {
  if (std::find(set.begin(), set.end(), id) == set.end()) set.push_back(id);
}
}  // namespace

FoldRow VisitFold::prepare(const VisitRow& r) {
  FoldRow f;
  f.upcoming = is_upcoming(r, as_of_);
  f.counted = is_counted(r, as_of_) && (needs_.since == kNoDay || r.date >= needs_.since);
  f.amount = r.amount;
  f.date = r.date;
  // Only counted non-refund rows are visits (§2.6): nothing else is keyed or interned.
  if (!f.counted || r.amount < 0) return f;
  f.visit = visit_key(r);
  auto id = [&](bool wanted, std::string_view v) {
    return wanted && !v.empty() ? pool_.intern(v) : FoldRow::kNone;
  };
  f.service = id(needs_.services, r.service);
  f.category = id(needs_.service_categories, r.service_category);
  f.doctor = id(needs_.doctors, r.doctor);
  f.branch = id(needs_.home_branch, r.branch);
  return f;
}

void VisitFold::prefetch(uint32_t p) const {
  __builtin_prefetch(&states_[p], 1);
  // The optional sets' headers (their elements are one more step away: not worth a stage).
  if (!services_.empty()) __builtin_prefetch(&services_[p]);
  if (!categories_.empty()) __builtin_prefetch(&categories_[p]);
  if (!doctors_.empty()) __builtin_prefetch(&doctors_[p]);
  if (!branches_.empty()) __builtin_prefetch(&branches_[p]);
  if (!dates_.empty()) __builtin_prefetch(&dates_[p]);
}

void VisitFold::prefetch_keys(uint32_t p) const {
  const Seen& s = states_[p].seen;
  if (s.first != 0) __builtin_prefetch(pool_bytes_.data() + size_t{s.cur} * kChunk, 1);
}

void VisitFold::apply(uint32_t p, const FoldRow& r) {
  PatientState& st = states_[p];
  VisitStats& s = st.stats;
  if (r.upcoming) s.upcoming = true;
  if (!r.counted) return;
  s.spent += r.amount;
  if (r.amount < 0) return;  // a refund: money only, never activity (§2.6)

  if (insert_key(st.seen, r.visit, 0)) ++s.visits;
  if (s.first_visit == kNoDay || r.date < s.first_visit) s.first_visit = r.date;
  if (s.last_visit == kNoDay || r.date > s.last_visit) s.last_visit = r.date;

  if (r.service != FoldRow::kNone) add_distinct(services_[p], r.service);
  if (r.category != FoldRow::kNone) add_distinct(categories_[p], r.category);
  if (r.doctor != FoldRow::kNone) add_distinct(doctors_[p], r.doctor);
  if (needs_.visit_dates) {
    auto& d = dates_[p];
    if (d.empty() || d.back() != r.date) d.push_back(r.date);
  }
  if (r.branch != FoldRow::kNone) {
    auto& list = branches_[p];
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const BranchCount& c) { return c.branch == r.branch; });
    if (it == list.end()) {
      list.push_back({r.branch, 0, r.date});
      it = list.end() - 1;
    }
    if (insert_key(st.seen, r.visit, r.branch + 1)) ++it->visits;
    it->last = std::max(it->last, r.date);
  }
}

void VisitFold::finish() {
  // The visit keys only decide what is new while rows come in: their memory goes back before
  // the command's own work (scores, sorting) takes its share.
  std::vector<uint8_t>().swap(pool_bytes_);
  std::unordered_map<std::string, uint32_t>().swap(visit_ids_);
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
