#include "model/patients.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

#include "base/huge_pages.h"
#include "base/id_hash.h"
#include "model/person_name.h"
#include "model/text.h"

namespace kartoteka {

namespace {

inline uint32_t id_meta(uint64_t hash, size_t len) {
  return static_cast<uint32_t>(hash >> 32 & 0xFFFFFF00u) |
         static_cast<uint32_t>(std::min<size_t>(len, 255));
}

}  // namespace

PatientTable::PatientTable(std::vector<std::string> extra_titles, PatientNeeds needs)
    : extra_titles_(std::move(extra_titles)), needs_(needs) {
  needs_.add(PText::id);
  // A kept name part may default from name (§8.14): name is then kept too.
  for (PText f : {PText::last_name, PText::first_name, PText::middle_name})
    if (needs_.has(f)) needs_.add(PText::name);
  for (size_t f = 0; f < kPTextCount; ++f)
    column_[f] = needs_.has(static_cast<PText>(f)) ? static_cast<int8_t>(kept_text_++) : -1;
  stride_ = kept_text_ + (needs_.extras ? extra_titles_.size() : 0);
  offs_.push_back(0);
  slots_.assign(1024, Slot{});
}

void PatientTable::place(uint32_t i) {
  std::string_view key = id(i);
  uint64_t head = head_word(key), h = id_hash(key, head);
  size_t mask = slots_.size() - 1, at = static_cast<size_t>(h) & mask;
  while (slots_[at].index != 0) at = (at + 1) & mask;
  slots_[at] = Slot{head, id_meta(h, key.size()), i + 1};
}

void PatientTable::reserve(size_t patients, size_t text_bytes) {
  // Reserved but untouched memory costs no resident memory: reserving generously avoids the
  // copies (and re-faulting) of repeated growth.
  arena_.reserve(text_bytes);
  advise_huge(arena_.data(), arena_.capacity());
  offs_.reserve(patients * stride_ + 1);
  advise_huge(offs_.data(), offs_.capacity() * sizeof(uint32_t));
  core_.reserve(patients);
  name_parts_.reserve(patients);
  advise_huge(core_.data(), core_.capacity() * sizeof(PatientCore));
}

void PatientTable::expect(size_t patients) {
  size_t buckets = slots_.size();
  while (patients * 5 > buckets * 3) buckets *= 2;
  if (buckets != slots_.size()) rehash(buckets);
}

void PatientTable::rehash(size_t buckets) {
  std::vector<Slot> fresh;
  fresh.reserve(buckets);
  advise_huge(fresh.data(), buckets * sizeof(Slot));
  fresh.assign(buckets, Slot{});
  slots_.swap(fresh);
  fresh = std::vector<Slot>();
  for (uint32_t i = 0; i < core_.size(); ++i) place(i);
}

uint64_t PatientTable::hash_of(std::string_view id) {
  id = trim(id);
  return id_hash(id, head_word(id));
}

uint32_t PatientTable::find(std::string_view key) const {
  return find(key, hash_of(key));
}

uint32_t PatientTable::find(std::string_view key, uint64_t h) const {
  key = trim(key);
  const uint64_t head = head_word(key);
  const uint32_t meta = id_meta(h, key.size());
  const size_t mask = slots_.size() - 1;
  size_t at = static_cast<size_t>(h) & mask;
  for (;;) {
    const Slot& s = slots_[at];
    if (s.index == 0) return kNotFound;
    if (s.meta == meta && s.head == head && (key.size() <= 8 || id(s.index - 1) == key))
      return s.index - 1;
    at = (at + 1) & mask;
  }
}

std::string_view PatientTable::default_name_part(std::string_view name, PText part) {
  const NameParts parts = split_name(name);
  switch (part) {
    case PText::last_name:
      return parts.last;
    case PText::first_name:
      return parts.first;
    case PText::middle_name:
      return parts.middle;
    default:
      return {};
  }
}

bool PatientTable::add(const std::vector<std::string_view>& text_in,
                       const std::vector<std::string_view>& extras, const PatientCore& core) {
  // One probe both rejects a duplicate and finds the free slot for the new id.
  // Stored trimmed, as find() looks ids up (§8.13).
  const std::string_view key = trim(text_in[0]);
  const uint64_t head = head_word(key), h = id_hash(key, head);
  const uint32_t meta = id_meta(h, key.size());
  const size_t mask = slots_.size() - 1;
  size_t at = static_cast<size_t>(h) & mask;
  for (; slots_[at].index != 0; at = (at + 1) & mask) {
    const Slot& s = slots_[at];
    if (s.meta == meta && s.head == head && (key.size() <= 8 || id(s.index - 1) == key))
      return false;
  }
  // Name parts that are exactly name's default are kept as a bit, not as text.
  uint8_t derived = 0;
  const std::string_view* part = &text_in[static_cast<size_t>(PText::last_name)];
  if (!part[0].empty() || !part[1].empty() || !part[2].empty()) {  // most exports have no parts
    const NameParts parts = split_name(text_in[static_cast<size_t>(PText::name)]);
    const std::string_view defaults[] = {parts.last, parts.first, parts.middle};
    for (int k = 0; k < 3; ++k)
      if (!part[k].empty() && part[k] == defaults[k]) derived |= static_cast<uint8_t>(1u << k);
  }
  auto stored = [&](size_t f) -> std::string_view {
    if (f == 0) return key;
    size_t k = f - static_cast<size_t>(PText::last_name);
    return k < 3 && (derived >> k & 1) ? std::string_view{} : text_in[f];
  };
  size_t total = arena_.size();
  for (size_t f = 0; f < text_in.size(); ++f)
    if (column_[f] >= 0) total += stored(f).size();
  if (needs_.extras)
    for (auto t : extras) total += t.size();
  if (total > UINT32_MAX) throw std::length_error("patients file too large");
  for (size_t f = 0; f < text_in.size(); ++f) {
    if (column_[f] < 0) continue;
    arena_.append(stored(f));
    offs_.push_back(static_cast<uint32_t>(arena_.size()));
  }
  for (size_t k = 0; needs_.extras && k < extra_titles_.size(); ++k) {
    if (k < extras.size()) arena_.append(extras[k]);
    offs_.push_back(static_cast<uint32_t>(arena_.size()));
  }
  core_.push_back(core);
  name_parts_.push_back(derived);
  slots_[at] = Slot{head, meta, static_cast<uint32_t>(core_.size())};
  if (core_.size() * 5 > slots_.size() * 3) rehash(slots_.size() * 2);
  return true;
}

void sort_by_id(const PatientTable& pt, std::vector<uint32_t>& patients) {
  auto by_id = [&](uint32_t a, uint32_t b) { return pt.id(a) < pt.id(b); };
  if (std::is_sorted(patients.begin(), patients.end(), by_id)) return;
  std::vector<uint64_t> head(pt.size());
  for (uint32_t p : patients) head[p] = id_order_head(pt.id(p));
  std::sort(patients.begin(), patients.end(),
            [&](uint32_t a, uint32_t b) { return id_before(pt, a, head[a], b, head[b]); });
}

std::vector<std::string_view> split_categories(std::string_view cell) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= cell.size(); ++i) {
    if (i == cell.size() || cell[i] == ';' || cell[i] == ',' || cell[i] == '|') {
      auto part = trim(cell.substr(start, i - start));
      if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end())
        out.push_back(part);
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> split_joined(std::string_view joined) {
  std::vector<std::string_view> out;
  if (joined.empty()) return out;
  size_t start = 0;
  for (size_t i = 0; i <= joined.size(); ++i)
    if (i == joined.size() || joined[i] == ';') {
      out.push_back(joined.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

}  // namespace kartoteka
