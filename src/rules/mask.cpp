// `--mask`: see mask.h.
#include "rules/mask.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "base/siphash.h"
#include "model/column.h"

namespace kartoteka {

uint64_t mask_hash(const MaskKey& key, std::string_view data) {
  return siphash24(key.k0, key.k1, data);
}

MaskKey MaskKey::from_secret(std::string_view secret) {
  const MaskKey zero{};
  return MaskKey{mask_hash(zero, secret), mask_hash(MaskKey{1, 0}, secret)};
}

std::string mask_name(const MaskKey& key, std::string_view value) {
  if (value.empty()) return {};
  const uint64_t h = mask_hash(key, std::string("name:").append(value));
  return fmt::format("Пациент-{:08x}", static_cast<uint32_t>(h >> 32));
}

std::string mask_phone(const MaskKey& key, std::string_view value) {
  if (value.empty()) return {};
  const uint64_t h = mask_hash(key, std::string("phone:").append(value));
  return fmt::format("+7999{:07d}", h % 10000000ULL);
}

namespace {

std::string mask_value(const MaskKey& key, std::string_view v, MaskKind kind) {
  return kind == MaskKind::Phone ? mask_phone(key, v) : mask_name(key, v);
}

// Replaces every occurrence of `from` in `s` by `to`.
void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty() || s.size() < from.size()) return;
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out.append(to);
  }
  if (pos == 0) return;  // nothing found
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}

}  // namespace

RowMasker::RowMasker(const std::vector<Column>& columns, const MaskKey& key, MaskLookup lookup)
    : titles_(column_titles(columns)), key_(key), lookup_(std::move(lookup)) {
  const size_t n = columns.size();
  kinds_.resize(n);
  free_text_.resize(n);
  for (size_t c = 0; c < n; ++c) {
    kinds_[c] = columns[c].personal;
    // Dates are free text as they always were: a date never holds a name, so this changes nothing.
    free_text_[c] = kinds_[c] == MaskKind::None &&
                    (columns[c].kind == ColumnKind::Text || columns[c].kind == ColumnKind::Date);
  }
}

void RowMasker::mask(std::vector<std::string>& row) {
  const size_t n = titles_.size();
  secrets_.clear();
  for (size_t c = 0; c < n && c < row.size(); ++c)
    if (kinds_[c] != MaskKind::None && !row[c].empty()) secrets_.emplace_back(row[c], kinds_[c]);
  if (lookup_) lookup_(titles_, row, secrets_);
  for (size_t c = 0; c < n && c < row.size(); ++c)
    if (kinds_[c] != MaskKind::None) row[c] = mask_value(key_, row[c], kinds_[c]);
  if (secrets_.empty()) return;
  // Longest first, so a full name is replaced before the first name inside it. Values shorter
  // than 3 bytes are too likely to be parts of other words to be replaced in free text.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) {
    return a.first.size() != b.first.size() ? a.first.size() > b.first.size() : a.first < b.first;
  });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
  for (size_t c = 0; c < n && c < row.size(); ++c) {
    if (!free_text_[c] || row[c].empty()) continue;
    for (const auto& [value, kind] : secrets_)
      if (value.size() >= 3) replace_all(row[c], value, mask_value(key_, value, kind));
  }
}

void mask_table(Table& table, const MaskKey& key, const MaskLookup& lookup) {
  RowMasker masker(table.columns, key, lookup);
  for (auto& row : table.rows) masker.mask(row);
}

}  // namespace kartoteka
