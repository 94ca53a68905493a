#include "io/from_list.h"

#include <fmt/format.h>

#include "io/columns.h"
#include "io/list_reader.h"
#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {
namespace {

// An `excel` cell `="000123"` reads as 000123.
std::string_view unexcel(std::string_view v) {
  if (v.size() >= 3 && v[0] == '=' && v[1] == '"' && v.back() == '"')
    return v.substr(2, v.size() - 3);
  return v;
}

int key_column(const std::vector<std::string>& header, const std::vector<ColOverride>& cols) {
  for (const auto& o : cols)  // --col id=HEADER (§8.44)
    if (o.field == Field::id)
      for (size_t c = 0; c < header.size(); ++c)
        if (normalize_header(header[c]) == normalize_header(o.header)) return static_cast<int>(c);
  for (size_t c = 0; c < header.size(); ++c) {
    auto m = match_header(FileKind::Patients, header[c]);
    if (m && m->field == Field::id) return static_cast<int>(c);
  }
  for (std::string_view want : {"new id", "referrer id"})
    for (size_t c = 0; c < header.size(); ++c)
      if (normalize_header(header[c]) == want) return static_cast<int>(c);
  return -1;
}

}  // namespace

std::string_view FromList::value(uint32_t patient, size_t k) const {
  auto it = row_of.find(patient);
  return it == row_of.end() ? std::string_view{} : std::string_view(rows[it->second][k]);
}

FromList read_from_list(const std::string& path, const PatientTable& patients, Diagnostics& diag,
                        const std::vector<ColOverride>& col_overrides, ColUsage* usage) {
  ListReader rd(path, path == "-" ? "--from -" : path);  // csv or jsonl (§6.9)
  const auto& header = rd.header();
  if (usage) usage->offer(FileKind::List, header, rd.name(), col_overrides);
  int key = key_column(header, col_overrides);
  if (key < 0) {
    std::string seen;
    for (const auto& t : header) seen += fmt::format("{}\"{}\"", seen.empty() ? "" : ", ", t);
    throw InputError(
        fmt::format("{}: the --from list has no id column (headers seen: {}); name it "
                    "with {}",
                    rd.name(), seen, col_suggestion(Field::id, FileKind::List, header, nullptr)));
  }
  FromList list;
  std::vector<size_t> cols;
  for (size_t c = 0; c < header.size(); ++c)
    if (static_cast<int>(c) != key) {
      cols.push_back(c);
      list.titles.push_back(header[c]);
    }
  uint64_t unknown = 0, repeated = 0;
  Record rec;
  while (rd.next(rec)) {
    if (!rec.error.empty()) {
      diag.bad_row(fmt::format("{}:{}: {}", rd.name(), rec.line, rec.error));
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
  if (unknown > 0)
    diag.warn(fmt::format("{}: {} listed ids are not in the patients file and were dropped",
                          rd.name(), unknown));
  if (repeated > 0)
    diag.warn(fmt::format("{}: {} ids are listed more than once; the first listing is used",
                          rd.name(), repeated));
  return list;
}

}  // namespace kartoteka
