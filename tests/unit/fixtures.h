// Helpers shared by the unit tests that build in-memory inputs for rules (temporary files are in
// temp_file.h): a VisitFold over given rows, a field resolved by name that must exist.
#pragma once
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/visit_stats.h"
#include "rules/patient_fields.h"

namespace kartoteka::test {

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
