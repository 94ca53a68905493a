#include "model/patients.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "model/text.h"

namespace kartoteka {

PatientTable::PatientTable(std::vector<std::string> extra_titles)
    : extra_titles_(std::move(extra_titles)), stride_(kPTextCount + extra_titles_.size()) {
  offs_.push_back(0);
  slots_.assign(1024, 0);
}

void PatientTable::rehash(size_t buckets) {
  slots_.assign(buckets, 0);
  size_t mask = buckets - 1;
  for (uint32_t i = 0; i < core_.size(); ++i) {
    size_t h = std::hash<std::string_view>()(id(i)) & mask;
    while (slots_[h] != 0) h = (h + 1) & mask;
    slots_[h] = i + 1;
  }
}

uint32_t PatientTable::find(std::string_view key) const {
  key = trim(key);
  size_t mask = slots_.size() - 1;
  size_t h = std::hash<std::string_view>()(key) & mask;
  while (slots_[h] != 0) {
    if (id(slots_[h] - 1) == key) return slots_[h] - 1;
    h = (h + 1) & mask;
  }
  return kNotFound;
}

bool PatientTable::add(const std::vector<std::string_view>& text,
                       const std::vector<std::string_view>& extras, const PatientCore& core) {
  if (find(text[0]) != kNotFound) return false;
  size_t total = arena_.size();
  for (auto t : text) total += t.size();
  for (auto t : extras) total += t.size();
  if (total > UINT32_MAX) throw std::length_error("patients file too large");
  for (auto t : text) {
    arena_.append(t);
    offs_.push_back(static_cast<uint32_t>(arena_.size()));
  }
  for (size_t k = 0; k < extra_titles_.size(); ++k) {
    if (k < extras.size()) arena_.append(extras[k]);
    offs_.push_back(static_cast<uint32_t>(arena_.size()));
  }
  core_.push_back(core);
  if (core_.size() * 2 > slots_.size()) {
    rehash(slots_.size() * 2);
  } else {
    uint32_t i = static_cast<uint32_t>(core_.size() - 1);
    size_t mask = slots_.size() - 1;
    size_t h = std::hash<std::string_view>()(id(i)) & mask;
    while (slots_[h] != 0) h = (h + 1) & mask;
    slots_[h] = i + 1;
  }
  return true;
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
