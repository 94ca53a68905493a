#include "io/columns.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {
namespace {

// §8.45: every header that matches `phone` is read, best rank first; of titles equal after
// §8.6 only the leftmost (the others stay other columns). `candidates` are the columns that
// matched phone by the alias table (none when --col phone= bound one).
void bind_all_phones(FileKind kind, const std::vector<std::string>& header,
                     const std::vector<std::string>& norm, std::vector<int> candidates,
                     ColumnMap& m) {
  const int first = m[Field::phone];
  if (first == ColumnMap::kAbsent) return;
  if (candidates.empty()) {  // --col phone=HEADER: that column only
    m.phones = {first};
    return;
  }
  auto rank = [&](int c) { return match_header(kind, header[c])->rank; };
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](int a, int b) { return rank(a) < rank(b); });
  for (int c : candidates)
    if (std::none_of(m.phones.begin(), m.phones.end(), [&](int p) { return norm[p] == norm[c]; }))
      m.phones.push_back(c);
}

// The words of a title after §8.6 normalisation ("Дата операции" → дата, операции).
std::vector<std::string> words_of(std::string_view title) {
  const std::string n = normalize_header(title);
  std::vector<std::string> words;
  for (size_t i = 0; i < n.size();) {
    size_t j = std::min(n.find(' ', i), n.size());
    if (j > i) words.push_back(n.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

// A header as one shell word, so that the suggested option can be pasted: as it is when it
// holds nothing a shell would split or expand, else in double quotes (`"` `\` `$` `` ` ``
// escaped).
std::string shell_word(const std::string& h) {
  constexpr std::string_view kSpecial = " \t\"'\\$`;&|()<>*?[]#~!{}";
  if (h.find_first_of(kSpecial) == std::string::npos) return h;
  std::string quoted = "\"";
  for (char ch : h) {
    if (ch == '"' || ch == '\\' || ch == '$' || ch == '`') quoted += '\\';
    quoted += ch;
  }
  return quoted + '"';
}

}  // namespace

bool override_applies(FileKind kind, const std::vector<std::string>& header, const ColOverride& o) {
  if (!kind_has_field(kind, o.field)) return false;
  std::string want = normalize_header(o.header);
  return std::any_of(header.begin(), header.end(),
                     [&](const std::string& t) { return normalize_header(t) == want; });
}

ColumnMap map_columns(FileKind kind, const std::vector<std::string>& header,
                      const std::vector<ColOverride>& overrides, const std::string& file) {
  ColumnMap m;
  m.col.fill(ColumnMap::kAbsent);
  std::vector<bool> used(header.size(), false);
  std::vector<std::string> norm;
  norm.reserve(header.size());
  for (const auto& t : header) norm.push_back(normalize_header(t));

  for (const auto& o : overrides) {
    if (!kind_has_field(kind, o.field)) continue;
    std::string want = normalize_header(o.header);
    for (size_t c = 0; c < header.size(); ++c)
      if (norm[c] == want) {
        m.col[static_cast<size_t>(o.field)] = static_cast<int>(c);
        used[c] = true;
        break;  // two equal headers: the leftmost
      }
  }

  std::array<int, kFieldCount> best_rank;
  best_rank.fill(1 << 30);
  std::array<std::vector<int>, kFieldCount> candidates;
  for (size_t c = 0; c < header.size(); ++c) {
    if (used[c]) continue;
    auto hm = match_header(kind, header[c]);
    if (!hm) continue;
    size_t f = static_cast<size_t>(hm->field);
    if (m.col[f] != ColumnMap::kAbsent && best_rank[f] == (1 << 30)) continue;  // --col won
    candidates[f].push_back(static_cast<int>(c));
    if (hm->rank < best_rank[f]) {
      best_rank[f] = hm->rank;
      m.col[f] = static_cast<int>(c);
    }
  }
  bind_all_phones(kind, header, norm, candidates[static_cast<size_t>(Field::phone)], m);
  for (int c : m.phones) used[c] = true;
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (m.col[f] != ColumnMap::kAbsent) used[m.col[f]] = true;
    if (f == static_cast<size_t>(Field::phone) && m.phones.size() > 1) {
      std::string read;
      for (int c : m.phones) read += fmt::format("{}\"{}\"", read.empty() ? "" : ", ", header[c]);
      m.notes.push_back(fmt::format(
          "{}: field phone read from columns {} (one list: the first Russian mobile wins)", file,
          read));
      continue;
    }
    if (candidates[f].size() > 1) {
      std::string others;
      for (int c : candidates[f])
        if (c != m.col[f]) others += fmt::format("{}\"{}\"", others.empty() ? "" : ", ", header[c]);
      m.notes.push_back(fmt::format("{}: field {} read from column \"{}\" (also matched: {})", file,
                                    field_name(static_cast<Field>(f)), header[m.col[f]], others));
    }
  }
  for (size_t c = 0; c < header.size(); ++c)
    if (!used[c]) m.others.push_back(static_cast<int>(c));
  return m;
}

void require(const ColumnMap& map, Field f, const std::vector<std::string>& header,
             const std::string& file, FileKind kind) {
  if (map.has(f)) return;
  std::string seen;
  for (const auto& t : header) seen += fmt::format("{}\"{}\"", seen.empty() ? "" : ", ", t);
  throw InputError(
      fmt::format("{}: required column {} not found (headers seen: {}); name it with {}", file,
                  field_name(f), seen, col_suggestion(f, kind, header, &map)));
}

std::string col_suggestion(Field f, FileKind kind, const std::vector<std::string>& header,
                           const ColumnMap* bound) {
  // The words of the field's name and headers: a column titled with one of them is likely it.
  std::vector<std::string> words = words_of(field_name(f));
  for (auto h : field_headers(kind, f))
    for (auto& w : words_of(h)) words.push_back(std::move(w));
  std::vector<size_t> likely;
  for (size_t c = 0; c < header.size(); ++c) {
    const bool unbound = !bound || std::find(bound->others.begin(), bound->others.end(),
                                             static_cast<int>(c)) != bound->others.end();
    const auto own = words_of(header[c]);
    if (unbound && std::any_of(own.begin(), own.end(), [&](const std::string& w) {
          return std::find(words.begin(), words.end(), w) != words.end();
        }))
      likely.push_back(c);
  }
  if (likely.size() != 1) return fmt::format("--col {}=HEADER", field_name(f));
  return fmt::format("--col {}={}", field_name(f), shell_word(header[likely[0]]));
}

void ColUsage::offer(FileKind kind, const std::vector<std::string>& header, const std::string& file,
                     const std::vector<ColOverride>& cols) {
  used_.resize(cols.size(), false);
  files_.push_back(file);
  for (size_t i = 0; i < cols.size(); ++i)
    if (override_applies(kind, header, cols[i])) used_[i] = true;
}

void ColUsage::check(const std::vector<ColOverride>& cols) const {
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i < used_.size() && used_[i]) continue;
    std::string files;
    for (const auto& f : files_) files += fmt::format("{}{}", files.empty() ? "" : ", ", f);
    throw InputError(
        fmt::format("--col {}={}: no input with a {} field has a column \"{}\" (inputs read: {})",
                    field_name(cols[i].field), cols[i].header, field_name(cols[i].field),
                    cols[i].header, files));
  }
}

}  // namespace kartoteka
