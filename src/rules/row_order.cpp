// `--sort` / `--limit`: see row_order.h.
#include "rules/row_order.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <numeric>
#include <stdexcept>

#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {

SortKey parse_sort_key(std::string_view text) {
  for (auto [suffix, desc] : {std::pair{std::string_view(":desc"), true}, {":asc", false}}) {
    if (text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix)
      return {std::string(text.substr(0, text.size() - suffix.size())), desc};
  }
  return {std::string(text), false};
}

void RowBuffer::add(const std::vector<std::string>& cells) {
  if (cells.size() != width_)
    throw std::logic_error(fmt::format("RowBuffer: {} cells for {} columns", cells.size(), width_));
  const size_t start = bytes_.size();
  starts_.push_back(start);
  for (const auto& c : cells) {
    bytes_ += c;
    const size_t end = bytes_.size() - start;
    if (end > std::numeric_limits<uint32_t>::max())
      throw std::length_error("RowBuffer: a row longer than 4 GiB");
    ends_.push_back(static_cast<uint32_t>(end));
  }
}

std::string_view RowBuffer::cell(size_t row, size_t col) const {
  const uint32_t* ends = ends_.data() + row * width_;
  const size_t from = col == 0 ? 0 : ends[col - 1];
  return std::string_view(bytes_).substr(starts_[row] + from, ends[col] - from);
}

void RowBuffer::get(size_t row, std::vector<std::string>& cells) const {
  cells.resize(width_);
  for (size_t c = 0; c < width_; ++c) {
    const std::string_view v = cell(row, c);
    cells[c].assign(v.data(), v.size());
  }
}

namespace {

bool is_id_title(std::string_view t) {
  return t == "id" || t == "new_id" || t == "referrer_id";
}

// A number as the writer prints numeric columns: -?digits(.digits)? (never inf or nan, which
// would break the order).
bool parse_number(std::string_view s, double& out) {
  size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  size_t digits = 0, dots = 0;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      ++digits;
    } else if (s[i] == '.' && dots == 0 && digits > 0) {
      ++dots;
    } else {
      return false;
    }
  }
  if (digits == 0 || s.back() == '.') return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// One sort column's keys for every row, computed once (a comparison must not fold or parse).
// rank: 0 = a value (a number in a numeric column), 1 = text in a numeric column, 2 = empty.
struct ColumnKeys {
  RowOrder::Column col;
  std::vector<uint8_t> rank;
  std::vector<double> number;       // Number
  std::string folded;               // Folded: every row's folded text, one after the other
  std::vector<uint64_t> folded_at;  // Folded: n + 1 offsets into `folded`

  ColumnKeys(const RowOrder::Column& c, const RowBuffer& rows) : col(c) {
    const size_t n = rows.size();
    rank.resize(n);
    if (col.as == RowOrder::As::Number) number.resize(n);
    if (col.as == RowOrder::As::Folded) folded_at.reserve(n + 1);
    for (size_t r = 0; r < n; ++r) {
      const std::string_view v = rows.cell(r, col.index);
      if (col.as == RowOrder::As::Folded) {
        folded_at.push_back(folded.size());
        folded += fold(v);
      }
      if (v.empty()) {
        rank[r] = 2;
      } else if (col.as == RowOrder::As::Number && !parse_number(v, number[r])) {
        rank[r] = 1;
      }
    }
    if (col.as == RowOrder::As::Folded) folded_at.push_back(folded.size());
  }

  std::string_view folded_text(size_t r) const {
    return std::string_view(folded).substr(folded_at[r], folded_at[r + 1] - folded_at[r]);
  }

  // <0, 0, >0 as row a sorts before, with, after row b under this key (empty last always).
  int compare(const RowBuffer& rows, size_t a, size_t b) const {
    if (rank[a] != rank[b]) return rank[a] < rank[b] ? -1 : 1;
    int c = 0;
    if (rank[a] == 2) return 0;
    if (col.as == RowOrder::As::Number && rank[a] == 0) {
      c = number[a] < number[b] ? -1 : number[b] < number[a] ? 1 : 0;
    } else if (col.as == RowOrder::As::Folded) {
      c = folded_text(a).compare(folded_text(b));
    } else {
      c = rows.cell(a, col.index).compare(rows.cell(b, col.index));
    }
    return col.descending ? -c : c;
  }
};

}  // namespace

RowOrder::RowOrder(const std::vector<std::string>& titles, const std::vector<SortKey>& keys,
                   const IsNumeric& numeric) {
  for (const auto& key : keys) {
    const auto it = std::find(titles.begin(), titles.end(), key.column);
    if (it == titles.end())
      throw UsageError(fmt::format("--sort {}: no such column; the output's columns are: {}",
                                   key.column, fmt::join(titles, ", ")));
    const As as = numeric(*it) ? As::Number : is_id_title(*it) ? As::Bytes : As::Folded;
    columns_.push_back({static_cast<size_t>(it - titles.begin()), as, key.descending});
  }
}

std::vector<size_t> RowOrder::order(const RowBuffer& rows, size_t limit) const {
  std::vector<size_t> idx(rows.size());
  std::iota(idx.begin(), idx.end(), size_t{0});
  const size_t keep = std::min(limit, idx.size());
  if (!columns_.empty()) {
    std::vector<ColumnKeys> keys;
    keys.reserve(columns_.size());
    for (const auto& c : columns_) keys.emplace_back(c, rows);
    // The row index breaks the last tie: a strict total order, so std::sort and partial_sort
    // give the stable result.
    auto before = [&](size_t a, size_t b) {
      for (const auto& k : keys)
        if (int c = k.compare(rows, a, b); c != 0) return c < 0;
      return a < b;
    };
    if (keep < idx.size())
      std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(keep), idx.end(),
                        before);
    else
      std::sort(idx.begin(), idx.end(), before);
  }
  idx.resize(keep);
  return idx;
}

}  // namespace kartoteka
