#include "model/visit_stats.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

#include "base/huge_pages.h"
#include "base/prefetch.h"
#include "model/visit_fold_storage.h"
#include "model/visit_key.h"

namespace kartoteka {

uint32_t StringPool::intern(std::string_view s) {
  size_t slot = s.size() * 31;
  if (!s.empty())
    slot += static_cast<unsigned char>(s[0]) * 7 + static_cast<unsigned char>(s[s.size() - 1]) +
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

VisitFold::Impl::Impl(size_t patients, Day as_of, StatsNeeds needs) : as_of_(as_of), needs_(needs) {
  states_.reserve(patients);
  advise_huge(states_.data(), patients * sizeof(PatientState));
  states_.resize(patients);
  // Typical: a few chunks a patient. Untouched reserve costs no resident memory.
  pool_bytes_.reserve((patients * 8 + 2048) * kUnit);
  advise_huge(pool_bytes_.data(), pool_bytes_.capacity());
  pool_bytes_.resize(kUnit);  // unit 0 means "none"
  if (needs.services) services_.resize(patients);
  if (needs.service_categories) categories_.resize(patients);
  if (needs.doctors) doctors_.resize(patients);
  // Branch code 1 (the patient's first branch) before the first entry: streams of patients whose
  // visits all name one branch then look as without home_branch.
  first_code_ = needs.home_branch ? 1 : 0;
  // Escapes name codes 0–6 in one byte (few patients have more branches); shifting the other
  // entries up by 8 lengthens only the varints of values just below a power of 128.
  escapes_ = needs.home_branch ? 8 : 0;
  std::fill(std::begin(free_runs_), std::end(free_runs_), kNoRun);
  // Patients with 2+ branches take a run of 2 or 4 (16 or 32 bytes); untouched reserve costs
  // no resident memory.
  if (needs.home_branch) branch_runs_.reserve(patients + 64);
  if (needs.visit_dates) dates_.resize(patients);
  if (needs.visit_values) tally_.resize(patients);
}

// Visit identity (§8.15): rows with a visit_id are keyed by it, rows without by their date; the
// two kinds never merge. The top two bits tag the kind so the keys cannot collide:
//   0: a date; 1: up to 17 digits, as (digit count, number), so `007` ≠ `7`;
//   2: other text of up to 7 bytes, packed with its length; 3: longer text, interned.
uint64_t VisitFold::Impl::visit_key(const VisitRow& r) {
  constexpr uint64_t kString = 3ull << 62;
  if (const uint64_t k = packed_visit_key(r); k != 0 || r.visit_id.empty()) return k;
  const auto& v = r.visit_id;
  auto it = visit_ids_.find(std::string(v));
  if (it == visit_ids_.end())
    it = visit_ids_.emplace(std::string(v), static_cast<uint32_t>(visit_ids_.size())).first;
  return kString | it->second;
}

void VisitFold::Impl::put_byte(Seen& s, uint8_t b) {
  if (s.first == 0 || s.used == (s.cur == s.first ? kFirstPayload : kPayload)) {
    const size_t at = pool_bytes_.size() / kUnit, units = s.first == 0 ? 1 : 2;
    if (at > UINT32_MAX) throw std::length_error("too many visits");
    pool_bytes_.resize(pool_bytes_.size() + units * kUnit);
    auto idx = static_cast<uint32_t>(at);
    if (s.first == 0)
      s.first = idx;
    else
      std::memcpy(pool_bytes_.data() + size_t{s.cur} * kUnit, &idx, 4);
    s.cur = idx, s.used = 0;
  }
  pool_bytes_[size_t{s.cur} * kUnit + 4 + s.used++] = b;
}

void VisitFold::Impl::put_varint(Seen& s, uint64_t v) {
  while (v >= 0x80) {
    put_byte(s, static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  put_byte(s, static_cast<uint8_t>(v));
}

// An entry is the varint z + escapes_, z = zigzag(visit − previous entry's visit) (for a
// stream's first entry, the previous visit is key_base_[its kind]). An entry whose branch code
// differs from the one before it (or whose z + escapes_ would overflow) is written as an escape
// instead: the code itself when below escapes_ − 1, else escapes_ − 1 and the code as a varint;
// then z as a varint. Without home_branch escapes_ is 0: every code is 0, so none is needed.
template <class F>
void VisitFold::Impl::for_each_key(const Seen& s, F&& f) const {
  if (s.first == 0) return;
  uint32_t chunk = s.first;
  size_t at = 0, size = kFirstPayload;
  auto next_byte = [&]() -> uint8_t {
    if (at == size) {
      std::memcpy(&chunk, pool_bytes_.data() + size_t{chunk} * kUnit, 4);
      at = 0, size = kPayload;
    }
    return pool_bytes_[size_t{chunk} * kUnit + 4 + at++];
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
  uint64_t key = key_base_[s.first_kind];
  uint32_t code = first_code_;
  while (!done()) {
    uint64_t z = varint();
    if (z < escapes_) {
      code = static_cast<uint32_t>(z == escapes_ - 1 ? varint() : z);
      z = varint();
    } else {
      z -= escapes_;
    }
    key += (z & 1) ? ~(z >> 1) : (z >> 1);
    if (f(key, code)) return;
  }
}

bool VisitFold::Impl::insert_key(Seen& s, uint64_t visit, uint32_t code) {
  bool known = false;  // some entry has the visit's key
  if (s.first != 0 && visit <= s.max) {
    // Rows of one visit are usually adjacent and name one branch: the last entry decides them.
    if (visit == s.last && (code == 0 || code == s.last_branch)) return false;
    bool pair = false;
    for_each_key(s, [&](uint64_t key, uint32_t c) {
      if (key != visit) return false;
      known = true;
      pair = c == code;
      return pair || code == 0;  // a row without a branch needs only the visit
    });
    if (pair || (known && code == 0)) return false;
  }
  uint64_t from = s.last;
  uint32_t before = s.last_branch;
  if (s.first == 0) {
    const unsigned kind = static_cast<unsigned>(visit >> 62);
    if (!key_based_[kind]) key_base_[kind] = visit, key_based_[kind] = true;
    from = key_base_[kind], before = first_code_;
    s.first_kind = kind;
  }
  const auto sd = static_cast<int64_t>(visit - from);  // wraps
  const uint64_t z = (static_cast<uint64_t>(sd) << 1) ^ static_cast<uint64_t>(sd >> 63);
  if (code != before || z > UINT64_MAX - escapes_) {
    put_varint(s, std::min(code, escapes_ - 1));
    if (code >= escapes_ - 1) put_varint(s, code);
    put_varint(s, z);
  } else {
    put_varint(s, z + escapes_);
  }
  s.last = visit, s.last_branch = code;
  if (visit > s.max) s.max = visit;
  return !known;
}

uint32_t VisitFold::Impl::new_run(unsigned k) {
  if (uint32_t run = free_runs_[k]; run != kNoRun) {
    free_runs_[k] = branch_runs_[run].branch;
    return run;
  }
  const size_t run = branch_runs_.size(), size = size_t{2} << k;
  if (run + size > kNoRun) throw std::length_error("too many branches");
  branch_runs_.resize(run + size);
  return static_cast<uint32_t>(run);
}

void VisitFold::Impl::free_run(uint32_t run, unsigned k) {
  branch_runs_[run].branch = free_runs_[k];  // freed runs are chained through their first entry
  free_runs_[k] = run;
}

uint32_t VisitFold::Impl::note_branch(BranchSlot& slot, uint32_t branch, Day date) {
  if (slot.one.branch == FoldRow::kNone) slot.one = {branch, date};
  if (slot.one.branch == branch) {
    slot.one.last = std::max(slot.one.last, date);
    return 1;
  }
  if (slot.one.branch != kManyBranches) {
    // The second branch: the list moves to a run, in the order the branches came (codes 1, 2).
    const BranchLast only = slot.one;
    const uint32_t run = new_run(0);
    branch_runs_[run] = only;
    branch_runs_[run + 1] = {branch, date};
    slot.many = {kManyBranches, run, 2};
    return 2;
  }
  const uint32_t n = slot.many.count;
  BranchLast* list = branch_runs_.data() + slot.many.run;
  for (uint32_t i = 0; i < n; ++i)
    if (list[i].branch == branch) {
      list[i].last = std::max(list[i].last, date);
      return i + 1;
    }
  // A new branch goes last; a full run (its size is a power of two) moves to one twice as big.
  if (n == kMaxBranches) throw std::length_error("too many branches for one patient");
  if ((n & (n - 1)) == 0) {
    const auto k = static_cast<unsigned>(std::countr_zero(n)) - 1;
    const uint32_t run = new_run(k + 1), old = slot.many.run;
    std::copy_n(branch_runs_.begin() + old, n, branch_runs_.begin() + run);
    free_run(old, k);
    slot.many.run = run;
  }
  branch_runs_[slot.many.run + n] = {branch, date};
  slot.many.count = n + 1;
  return n + 1;
}

void VisitFold::Impl::settle_branches() {
  std::vector<uint32_t> visits;  // by branch code
  for (PatientState& st : states_) {
    BranchSlot& slot = st.seen.branches;
    if (slot.one.branch != kManyBranches) continue;
    const uint32_t n = slot.many.count;
    const BranchLast* list = branch_runs_.data() + slot.many.run;
    // Each (visit, branch) pair is one entry of the stream: a branch's distinct visits are its
    // entries.
    visits.assign(n + 1, 0);
    for_each_key(st.seen, [&](uint64_t, uint32_t code) {
      ++visits[code];
      return false;
    });
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; ++i) {
      const BranchLast &c = list[i], &b = list[best];
      if (visits[i + 1] > visits[best + 1] ||
          (visits[i + 1] == visits[best + 1] &&
           (c.last > b.last || (c.last == b.last && pool_.get(c.branch) < pool_.get(b.branch)))))
        best = i;
    }
    slot.one = list[best];
  }
}

namespace {
void add_distinct(std::vector<uint32_t>& set, uint32_t id) {
  if (std::find(set.begin(), set.end(), id) == set.end()) set.push_back(id);
}
}  // namespace

FoldRow VisitFold::Impl::prepare(const VisitRow& r) {
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
  if (f.branch == kManyBranches) throw std::length_error("too many distinct values");
  return f;
}

void VisitFold::Impl::apply(uint32_t p, const FoldRow& r) {
  PatientState& st = states_[p];
  VisitStats& s = st.stats;
  if (r.upcoming) s.upcoming = true;
  if (!r.counted) return;
  s.spent += r.amount;
  if (r.amount < 0) return;  // a refund: money only, never activity (§2.6)

  // The row's branch first: the key stream names it by its code.
  const uint32_t code =
      r.branch != FoldRow::kNone ? note_branch(st.seen.branches, r.branch, r.date) : 0;
  if (insert_key(st.seen, r.visit, code)) ++s.visits;
  if (!tally_.empty()) {  // before first_visit and last_visit move
    DayTally& t = tally_[p];
    t.all += r.amount;
    if (s.first_visit == kNoDay || r.date < s.first_visit)
      t.first_day = r.amount;
    else if (r.date == s.first_visit)
      t.first_day += r.amount;
    note_day(t, r.date, s.last_visit);
  }
  if (s.first_visit == kNoDay || r.date < s.first_visit) s.first_visit = r.date;
  if (s.last_visit == kNoDay || r.date > s.last_visit) s.last_visit = r.date;

  if (r.service != FoldRow::kNone) add_distinct(services_[p], r.service);
  if (r.category != FoldRow::kNone) add_distinct(categories_[p], r.category);
  if (r.doctor != FoldRow::kNone) add_distinct(doctors_[p], r.doctor);
  if (needs_.visit_dates) {
    auto& d = dates_[p];
    if (d.empty() || d.back() != r.date) d.push_back(r.date);
  }
}

void VisitFold::Impl::note_day(DayTally& t, Day date, Day latest) {
  // The latest day is a visit day: more rows of the day just seen need no look.
  if (t.days > 0 && date == latest) return;
  if (t.days > 0 && date < latest) {
    const bool known =
        t.spill ? std::find(day_spill_[t.spill - 1].rbegin(), day_spill_[t.spill - 1].rend(),
                            date) != day_spill_[t.spill - 1].rend()
                : t.two[0] == date || t.two[1] == date;
    if (known) return;
  }
  if (t.spill == 0 && t.days < 2) {
    t.two[t.days] = date;
  } else {
    if (t.spill == 0) {
      if (day_spill_.size() >= UINT32_MAX) throw std::length_error("too many patients");
      day_spill_.push_back({t.two[0], t.two[1]});
      t.spill = static_cast<uint32_t>(day_spill_.size());
    }
    day_spill_[t.spill - 1].push_back(date);
  }
  ++t.days;
}

void VisitFold::Impl::finish() {
  // The visit keys only decide what is new while rows come in: their memory goes back before
  // the command's own work (scores, sorting) takes its share; the home branches need them once.
  if (!branch_runs_.empty()) settle_branches();
  std::vector<BranchLast>().swap(branch_runs_);
  std::vector<uint8_t>().swap(pool_bytes_);
  std::unordered_map<std::string, uint32_t>().swap(visit_ids_);
  for (auto& d : dates_) {
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
  }
  finished_ = true;
}

std::vector<std::string_view> VisitFold::Impl::strings(
    const std::vector<std::vector<uint32_t>>& sets, uint32_t p) const {
  std::vector<std::string_view> out;
  if (sets.empty()) return out;
  for (uint32_t id : sets[p]) out.push_back(pool_.get(id));
  std::sort(out.begin(), out.end());
  return out;
}

std::string_view VisitFold::Impl::home_branch(uint32_t p) const {
  if (!finished_ && needs_.home_branch) throw std::logic_error("home_branch() before finish()");
  const uint32_t b = states_[p].seen.branches.one.branch;
  return b == FoldRow::kNone ? std::string_view{} : pool_.get(b);
}

// The public face: each call goes to the layout in visit_fold_storage.h.
VisitFold::VisitFold(size_t patients, Day as_of, StatsNeeds needs)
    : impl_(std::make_unique<Impl>(patients, as_of, needs)) {}
VisitFold::VisitFold(VisitFold&&) noexcept = default;
VisitFold& VisitFold::operator=(VisitFold&&) noexcept = default;
VisitFold::~VisitFold() = default;

FoldRow VisitFold::prepare(const VisitRow& r) {
  return impl_->prepare(r);
}
void VisitFold::apply(uint32_t patient, const FoldRow& row) {
  impl_->apply(patient, row);
}
// The hints are written here, not in Impl: GCC counts a function that only prefetches as pure
// and drops a call to it that it can see (as from a forwarding function here).
void VisitFold::prefetch(uint32_t p) const {
  const Impl& m = *impl_;
  prefetch_write(&m.states_[p]);
  // The optional sets' headers (their elements are one more step away: not worth a stage).
  if (!m.services_.empty()) prefetch_read(&m.services_[p]);
  if (!m.categories_.empty()) prefetch_read(&m.categories_[p]);
  if (!m.doctors_.empty()) prefetch_read(&m.doctors_[p]);
  if (!m.dates_.empty()) prefetch_read(&m.dates_[p]);
  if (!m.tally_.empty()) prefetch_write(&m.tally_[p]);
}

void VisitFold::prefetch_keys(uint32_t p) const {
  const Impl& m = *impl_;
  const Impl::Seen& s = m.states_[p].seen;
  if (s.first != 0) prefetch_write(m.pool_bytes_.data() + size_t{s.cur} * Impl::kUnit + 4 + s.used);
  // A patient with 2+ branches: its list (one line for up to 8).
  if (s.branches.one.branch == Impl::kManyBranches)
    prefetch_write(m.branch_runs_.data() + s.branches.many.run);
  // A patient with 3+ visit days: the header of their day list (its tally line has arrived).
  if (!m.tally_.empty() && m.tally_[p].spill != 0)
    prefetch_read(&m.day_spill_[m.tally_[p].spill - 1]);
}

void VisitFold::finish() {
  impl_->finish();
}

const VisitStats& VisitFold::stats(uint32_t p) const {
  return impl_->states_[p].stats;
}
size_t VisitFold::size() const {
  return impl_->states_.size();
}
std::vector<std::string_view> VisitFold::services(uint32_t p) const {
  return impl_->strings(impl_->services_, p);
}
std::vector<std::string_view> VisitFold::service_categories(uint32_t p) const {
  return impl_->strings(impl_->categories_, p);
}
std::vector<std::string_view> VisitFold::doctors(uint32_t p) const {
  return impl_->strings(impl_->doctors_, p);
}
std::string_view VisitFold::home_branch(uint32_t p) const {
  return impl_->home_branch(p);
}
const std::vector<Day>& VisitFold::visit_dates(uint32_t p) const {
  static const std::vector<Day> kNone;
  return impl_->dates_.empty() ? kNone : impl_->dates_[p];
}
Kopecks VisitFold::repeat_value(uint32_t p) const {
  return impl_->tally_.empty() ? 0 : impl_->tally_[p].all - impl_->tally_[p].first_day;
}
uint32_t VisitFold::visit_days(uint32_t p) const {
  return impl_->tally_.empty() ? 0 : impl_->tally_[p].days;
}
Day VisitFold::as_of() const {
  return impl_->as_of_;
}
const StatsNeeds& VisitFold::needs() const {
  return impl_->needs_;
}

}  // namespace kartoteka
