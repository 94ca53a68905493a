// `segment` (SPEC §6.1): the population filtered by --where, as a list or grouped by fields.
#pragma once
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/patient_fields.h"
#include "rules/table.h"
#include "rules/where.h"

namespace kartoteka {

struct NamedField {
  std::string title;  // as typed: the output column title
  FieldRef ref;
};

// The --where expressions of one run, each parsed into its tree once (§6.1, issue 29). segment
// parses them before the patients are read, since the fields they name decide which columns are
// kept; a --from column is known only later. So a name gets its type at parse time and its field
// at bind(): an id per distinct name as written, one FieldRef per id.
class SegmentWheres {
 public:
  // A name's type, as far as the header tells (FieldType::Text for a name not known yet: a --from
  // column is text). A malformed expression does not throw here: bind() reports it.
  using TypeOf = std::function<FieldType(std::string_view name)>;
  using Resolve = std::function<std::optional<FieldRef>(std::string_view name)>;
  SegmentWheres(const std::vector<std::string>& texts, const TypeOf& type_of);

  // Whether every expression parsed.
  bool parsed() const;
  // Binds every name to its field. Throws the UsageError WhereExpr::parse with `resolve` would
  // have thrown: for the first failing expression, its first unknown field (one met before a
  // syntax error), else its syntax error.
  void bind(const Resolve& resolve);

  const std::vector<WhereExpr>& exprs() const { return exprs_; }
  const std::vector<FieldRef>& fields() const { return fields_; }  // by field id, after bind()

 private:
  struct Name {
    std::string text;
    size_t expr, at;  // where it first appears: the expression and the byte offset
  };
  std::vector<std::string> texts_;
  std::vector<Name> names_;  // by field id
  std::vector<WhereExpr> exprs_;
  std::vector<std::exception_ptr> errors_;  // by expression; null when it parsed
  std::vector<FieldRef> fields_;
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
