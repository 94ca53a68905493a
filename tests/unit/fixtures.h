// Helpers shared by the unit tests that build in-memory inputs for rules (temporary files are in
// temp_file.h): a patient added from the text fields given, a VisitFold over given rows, a field
// resolved by name that must exist.
#pragma once
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/visit_stats.h"
#include "rules/patient_fields.h"

namespace kartoteka::test {

// Adds a patient whose text fields are those given (every other one empty), failing the test when
// the table refuses it (a duplicate id).
//   add_patient(pt, {{PText::id, "101"}, {PText::referrer_id, "100"}});
inline void add_patient(PatientTable& pt,
                        std::initializer_list<std::pair<PText, std::string_view>> fields,
                        const PatientCore& core = {},
                        const std::vector<std::string_view>& extras = {}) {
  std::vector<std::string_view> text(kPTextCount);
  for (const auto& [field, value] : fields) text[static_cast<size_t>(field)] = value;
  REQUIRE(pt.add(text, extras, core));
}

// The statistics of `patients` patients over `rows` (in that order) as of `as_of`.
inline VisitFold fold_visits(size_t patients, Day as_of, const StatsNeeds& needs,
                             const std::vector<VisitRow>& rows) {
  VisitFold f(patients, as_of, needs);
  for (const auto& r : rows) f.add(r);
  f.finish();
  return f;
}

// resolve_field(name, …), failing the test when the name is unknown.
inline FieldRef resolved_field(std::string_view name, const PatientTable& pt,
                               const std::vector<std::string>& from_titles = {}) {
  auto r = resolve_field(name, pt, from_titles);
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace kartoteka::test
