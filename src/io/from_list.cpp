#include "io/from_list.h"

#include <fmt/format.h>

#include "io/columns.h"
#include "io/list_reader.h"
#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {
namespace {

bool is_id_title(std::string_view title) {
  auto m = match_header(FileKind::Patients, title);
  return m && m->field == Field::id;
}

bool is_key_title(std::string_view title) {
  const std::string n = normalize_header(title);
  return is_id_title(title) || n == "new id" || n == "referrer id";
}

std::string quoted_titles(const std::vector<std::string>& titles) {
  std::string out;
  for (const auto& t : titles) out += fmt::format("{}\"{}\"", out.empty() ? "" : ", ", t);
  return out;
}

// --from-key: the column titled `from_key` after §8.6, or an InputError naming the columns.
int chosen_key_column(const ListReader& rd, std::string_view from_key) {
  const auto& header = rd.header();
  const std::string want = normalize_header(from_key);
  for (size_t c = 0; c < header.size(); ++c)
    if (normalize_header(header[c]) == want) return static_cast<int>(c);
  throw InputError(
      fmt::format("{}: --from-key {}: the --from list has no such column (columns: {})", rd.name(),
                  from_key, quoted_titles(header)));
}

// The column --col id=HEADER names (§8.44), or -1.
int col_id_column(const std::vector<std::string>& header, const std::vector<ColOverride>& cols) {
  for (const auto& o : cols)
    if (o.field == Field::id)
      for (size_t c = 0; c < header.size(); ++c)
        if (normalize_header(header[c]) == normalize_header(o.header)) return static_cast<int>(c);
  return -1;
}

int key_column(const std::vector<std::string>& header, const std::vector<ColOverride>& cols) {
  if (int c = col_id_column(header, cols); c >= 0) return c;
  for (size_t c = 0; c < header.size(); ++c)
    if (is_id_title(header[c])) return static_cast<int>(c);
  for (std::string_view want : {"new id", "referrer id"})
    for (size_t c = 0; c < header.size(); ++c)
      if (normalize_header(header[c]) == want) return static_cast<int>(c);
  return -1;
}

}  // namespace

FromList read_from_list(const Input& input, const PatientTable& patients, Diagnostics& diag,
                        const std::vector<ColOverride>& col_overrides, ColUsage* usage,
                        std::string_view from_key) {
  ListReader rd(input, input.name() == "-" ? "--from -" : input.name());  // csv or jsonl (§6.9)
  const auto& header = rd.header();
  if (usage) usage->offer(FileKind::List, header, rd.name(), col_overrides);
  int key = from_key.empty() ? key_column(header, col_overrides) : chosen_key_column(rd, from_key);
  if (key < 0) {
    std::string seen;
    for (const auto& t : header) seen += fmt::format("{}\"{}\"", seen.empty() ? "" : ", ", t);
    throw InputError(
        fmt::format("{}: the --from list has no id column (headers seen: {}); name it "
                    "with {}",
                    rd.name(), seen, col_suggestion(Field::id, FileKind::List, header, nullptr)));
  }
  FromList list;
  list.key_title = header[key];
  list.key_is_id = is_id_title(header[key]) || key == col_id_column(header, col_overrides);
  list.key_chosen = !from_key.empty();
  for (const auto& t : header)
    if (is_key_title(t)) list.key_candidates.push_back(t);
  std::vector<size_t> cols;
  for (size_t c = 0; c < header.size(); ++c)
    if (static_cast<int>(c) != key) {
      cols.push_back(c);
      list.titles.push_back(header[c]);
    }
  uint64_t unknown = 0, repeated = 0, empty = 0;
  Record rec;
  while (rd.next(rec)) {
    if (!rec.error.empty()) {
      diag.bad_row(fmt::format("{}:{}: {}", rd.name(), rec.line, rec.error));
      continue;
    }
    if (list.key_chosen && unexcel(rec.fields[key]).empty()) {
      ++empty;
      continue;
    }
    uint32_t p = patients.find(unexcel(rec.fields[key]));
    if (p == PatientTable::kNotFound) {
      ++unknown;
      continue;
    }
    if (list.contains(p)) {
      ++repeated;
      continue;
    }
    std::vector<std::string> values;
    values.reserve(cols.size());
    for (size_t c : cols) values.emplace_back(unexcel(rec.fields[c]));
    list.row_of.emplace(p, static_cast<uint32_t>(list.order.size()));
    list.order.push_back(p);
    list.rows.push_back(std::move(values));
  }
  if (empty > 0)
    diag.warn(fmt::format("{}: {} rows have an empty \"{}\" (--from-key) and were skipped",
                          rd.name(), empty, list.key_title));
  if (unknown > 0)
    diag.warn(fmt::format("{}: {} listed ids are not in the patients file and were dropped",
                          rd.name(), unknown));
  if (repeated > 0)
    diag.warn(fmt::format("{}: {} ids are listed more than once; the first listing is used",
                          rd.name(), repeated));
  return list;
}

}  // namespace kartoteka
