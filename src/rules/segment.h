// `segment` (SPEC §6.1): the population filtered by --where, as a list or grouped by fields.
#pragma once
#include <string>
#include <vector>

#include "rules/patient_fields.h"
#include "rules/table.h"
#include "rules/where.h"

namespace kartoteka {

struct NamedField {
  std::string title;  // as typed: the output column title
  FieldRef ref;
};

// Patients of `population` for which every expression holds, in population order.
std::vector<uint32_t> filter_patients(const FieldContext& ctx,
                                      const std::vector<uint32_t>& population,
                                      const std::vector<WhereExpr>& wheres,
                                      const std::vector<FieldRef>& where_fields);

// The list's own columns: id,name,phone,last_visit,visits,spent.
std::vector<Column> segment_list_columns();

// List mode: id,name,phone,last_visit,visits,spent, then `extra` columns (schemes, --fields; the
// caller drops repeats), then the --from columns, streamed to `out`; sorted by id (byte order).
void segment_list(const FieldContext& ctx, std::vector<uint32_t> selected,
                  const std::vector<NamedField>& extra, RowSink& out);

// Group mode: one row per combination of the `by` fields' values (a multi-valued field counts
// each element once per patient); text values group as --where compares them, printed as the
// first patient of the group in patients-file order spells them, while id, phone and email group
// exactly (§8.46, §8.57). Columns by…,patients,share,visits,spent; share is of
// `selected`. Sorted by patients desc, then keys by type with the empty key first (§8.24).
Table segment_groups(const FieldContext& ctx, const std::vector<uint32_t>& selected,
                     const std::vector<NamedField>& by);

}  // namespace kartoteka
