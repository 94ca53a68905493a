// The visits file's rows parsed into VisitRow (SPEC §2.6, §8.12, §8.47), for the two readers of
// load.cpp (read_visits, fold_visits). Internal to io/.
#pragma once
#include <fmt/format.h>

#include <optional>
#include <string>

#include "io/diagnostics.h"
#include "io/load.h"
#include "io/typed_cells.h"
#include "model/money.h"
#include "model/text.h"

namespace kartoteka::io_detail {

// Parses and validates the visits file's rows (§2.6, §8.12): every typed cell in column order,
// the first bad one reported. The patient is left to the caller.
class VisitParser {
 public:
  VisitParser(const InputOptions& opt, Diagnostics& diag, RecordReader& rd, const ColumnMap& m)
      : opt_(opt),
        diag_(diag),
        rd_(rd),
        m_(m),
        typed_(typed_columns(m)),
        status_col_(m[Field::status]) {}

  // Good rows whose status cell is empty (§8.47).
  uint64_t empty_statuses() const { return empty_status_; }

  // Fills `row` from a record of the reader (all but patient, line and seq; its views point into
  // `rec`). A bad record or value is reported to Diagnostics (which throws without
  // --skip-bad-rows) and gives false.
  bool parse(const Record& rec, VisitRow& row) {
    if (!rec.error.empty()) {
      diag_.bad_row(fmt::format("{}:{}: {}", rd_.name(), rec.line, rec.error));
      return false;
    }
    row = VisitRow{};
    for (const auto& tc : typed_) {
      std::string_view v = rec.fields[tc.col];
      bool ok = true;
      switch (tc.field) {
        case Field::date:
          ok = parse_date(v, row.date) && row.date != kNoDay;
          break;
        case Field::amount:
          ok = parse_money(v, row.amount);
          break;
        case Field::bonus_paid:
          ok = parse_money(v, row.bonus_paid);
          break;
        case Field::status: {
          // A visits file has a handful of distinct status cells: classify each once, not per
          // row (folding allocates). Only good values are cached, so errors are reported as before.
          std::optional<Status> s;
          if (status_cache_ok_ && v == status_cache_cell_) {
            s = status_cache_kind_;
          } else {
            s = opt_.statuses.classify(v);
            if (s) status_cache_ok_ = true, status_cache_cell_.assign(v), status_cache_kind_ = *s;
          }
          ok = s.has_value();
          if (ok) row.status = *s;
          break;
        }
        default:
          break;
      }
      if (!ok) {
        std::string_view problem = problem_of(tc.type);
        if (tc.field == Field::date && v.empty())
          problem = "is empty: every visit row needs a date";
        diag_.bad_row(
            bad_value_message(rd_.name(), rec.line, rd_.header()[tc.col], tc.field, v, problem));
        return false;
      }
    }
    if (status_col_ >= 0 && trim(rec.fields[status_col_]).empty()) ++empty_status_;
    row.visit_id = cell(rec, m_, Field::visit_id);
    row.service = cell(rec, m_, Field::service);
    row.service_category = cell(rec, m_, Field::service_category);
    row.doctor = cell(rec, m_, Field::doctor);
    row.branch = cell(rec, m_, Field::branch);
    row.referrer_id = cell(rec, m_, Field::referrer_id);
    return true;
  }

 private:
  const InputOptions& opt_;
  Diagnostics& diag_;
  RecordReader& rd_;
  const ColumnMap& m_;
  std::vector<TypedColumn> typed_;
  int status_col_;
  uint64_t empty_status_ = 0;
  bool status_cache_ok_ = false;
  std::string status_cache_cell_;
  Status status_cache_kind_ = Status::Completed;
};

}  // namespace kartoteka::io_detail
