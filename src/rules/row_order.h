// `--sort COLUMN[:asc|:desc]` and `--limit N` (SPEC §6.9, §8.50, §8.54): the order in which the
// rows of an output are written. Pure: titles and rows in, row indices out; the caller says which
// titles are numeric (§8.39, §8.51 — the writer's column kinds), so this knows nothing of formats.
//
//   RowBuffer rows(titles.size());
//   rows.add({"000123", "Иванов", "3"}); …
//   RowOrder order(titles, {parse_sort_key("visits:desc")}, is_numeric_title);  // UsageError?
//   for (size_t i : order.order(rows, /*limit=*/100)) write(rows.cell(i, c) …);
//
// How cells compare: a numeric column as a number (a cell that is not a number sorts after every
// number, as text); `id`, `new_id`, `referrer_id` in plain byte order (§8.17); every other column
// by its folded text (lower-case, `ё` = `е`, model/text's fold(), as `--where` compares text) in
// byte order — dates are ISO text, so they sort as dates. Empty cells come last in either
// direction. Ties fall to the next key, then to the rows' own order (the sort is stable).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace kartoteka {

struct SortKey {
  std::string column;  // an output title, exactly as written
  bool descending = false;
};

// "COLUMN", "COLUMN:asc" or "COLUMN:desc"; any other text is taken whole as a column title
// (so `nope:up` is reported as an unknown column).
SortKey parse_sort_key(std::string_view text);

// Rows kept compactly for sorting: the cells of all rows in one byte buffer, each row a start
// offset and each cell an end offset within its row — a few bytes per cell beyond the text
// itself, instead of a std::string (32 bytes and often a heap block) per cell.
class RowBuffer {
 public:
  explicit RowBuffer(size_t width) : width_(width) {}
  // Copies a row of `width` cells.
  void add(const std::vector<std::string>& cells);
  size_t size() const { return starts_.size(); }
  size_t width() const { return width_; }
  std::string_view cell(size_t row, size_t col) const;
  // Sets `cells` (resized to width) to row `row`'s cells.
  void get(size_t row, std::vector<std::string>& cells) const;

 private:
  size_t width_;
  std::string bytes_;
  std::vector<uint64_t> starts_;  // per row: offset of its first cell in bytes_
  std::vector<uint32_t> ends_;    // per cell: end offset within its row
};

class RowOrder {
 public:
  using IsNumeric = std::function<bool(std::string_view title)>;
  // Resolves each key's column among `titles` (exact title). An unknown column is a UsageError
  // listing the output's columns.
  RowOrder(const std::vector<std::string>& titles, const std::vector<SortKey>& keys,
           const IsNumeric& numeric);

  // The indices of `rows` in output order: sorted by the keys (none: as they are), the first
  // `limit` of them.
  std::vector<size_t> order(const RowBuffer& rows,
                            size_t limit = std::numeric_limits<size_t>::max()) const;

  enum class As { Number, Bytes, Folded };
  struct Column {
    size_t index;
    As as;
    bool descending;
  };
  const std::vector<Column>& columns() const { return columns_; }

 private:
  std::vector<Column> columns_;
};

}  // namespace kartoteka
