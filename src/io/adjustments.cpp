// Reading a --adjustments file (SPEC §6.5, §8.32, §8.33, §8.44).
#include <fmt/format.h>

#include "io/load.h"
#include "io/typed_cells.h"
#include "model/money.h"

namespace kartoteka {

using io_detail::cell;
using io_detail::problem_of;
using io_detail::typed_columns;

std::vector<Adjustment> read_adjustments(const Input& input, const InputOptions& options,
                                         Diagnostics& diag) {
  RecordReader rd(input, options.encoding, options.delimiter);
  // --col applies here too (§8.44): date, patient_id, amount, note.
  options.col_usage.offer(FileKind::Adjustments, rd.header(), rd.name(), options.cols);
  ColumnMap m = map_columns(FileKind::Adjustments, rd.header(), options.cols, rd.name());
  for (const auto& n : m.notes) diag.note(n);
  for (Field f : {Field::date, Field::patient_id, Field::amount})
    require(m, f, rd.header(), rd.name(), FileKind::Adjustments);
  auto typed = typed_columns(m);
  std::vector<Adjustment> out;
  Record rec;
  while (rd.next(rec)) {
    if (!rec.error.empty()) {
      diag.bad_row(fmt::format("{}:{}: {}", rd.name(), rec.line, rec.error));
      continue;
    }
    Adjustment a{kNoDay, std::string(rec.fields[m[Field::patient_id]]), 0,
                 std::string(cell(rec, m, Field::note)), rec.line};
    bool bad = false;
    for (const auto& tc : typed) {
      std::string_view v = rec.fields[tc.col];
      bool ok = tc.field == Field::date ? parse_date(v, a.date) && a.date != kNoDay
                                        : parse_money(v, a.amount);
      if (!ok) {
        diag.bad_row(bad_value_message(rd.name(), rec.line, rd.header()[tc.col], tc.field, v,
                                       problem_of(tc.type)));
        bad = true;
        break;
      }
    }
    if (!bad) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace kartoteka
