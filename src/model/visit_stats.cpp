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
  stats_.reserve(patients);
  advise_huge(stats_.data(), patients * sizeof(VisitStats));
  stats_.resize(patients);
  seen_.reserve(patients);
  advise_huge(seen_.data(), patients * sizeof(Seen));
  seen_.resize(patients);
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
bool VisitFold::scan(const Seen& s, uint64_t visit, uint32_t branch) const {
  if (s.first == 0) return false;
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
    if (key == visit && b == branch) return true;
  }
  return false;
}

bool VisitFold::insert_key(uint32_t p, uint64_t visit, uint32_t branch) {
  Seen& s = seen_[p];
  if (s.first != 0) {
    if (visit == s.last && branch == s.last_branch) return false;
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

void VisitFold::add(const VisitRow& r) {
  VisitStats& s = stats_[r.patient];
  if (is_upcoming(r, as_of_)) s.upcoming = true;
  if (!is_counted(r, as_of_)) return;
  if (needs_.since != kNoDay && r.date < needs_.since) return;
  s.spent += r.amount;
  if (r.amount < 0) return;  // a refund: money only, never activity (§2.6)

  const uint64_t vk = visit_key(r);
  if (insert_key(r.patient, vk, 0)) ++s.visits;
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
    if (insert_key(r.patient, vk, b + 1)) ++it->visits;
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
