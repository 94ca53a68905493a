// The fields of a patient as SPEC §6.1 defines them — logical, derived (age, visits, activity,
// m_class …), `--from` columns and other patients columns — resolved by name once, then read
// per patient as typed values (for --where) or as csv text (for output and sms templates).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/column.h"
#include "model/from_list.h"
#include "model/patients.h"
#include "model/visit_stats.h"
#include "rules/where.h"

namespace kartoteka {

enum class Derived : uint8_t {
  age,
  birth_month,
  birth_day,
  days_to_birthday,
  first_visit,
  last_visit,
  days_since_first_visit,
  days_since_last_visit,
  visits,
  spent,
  avg_check,
  services,
  service_categories,
  doctors,
  home_branch,
  has_phone,
  upcoming,
  activity,
  m_class,
  kCount
};

struct FieldRef {
  enum class Source : uint8_t {
    Text,
    Gender,
    BirthDate,
    Registered,
    ActivityDate,
    SmsConsent,
    Purchased,
    Derived,
    From,
    Extra
  };
  Source source;
  int index;  // PText for Text, Derived for Derived, column for From / Extra
  FieldType type;
  bool operator==(const FieldRef&) const = default;
};

// Resolves a name (§8.21): after header normalisation, a logical or derived field, else a
// --from column, else another patients column, else a Russian header of a logical field.
// `from_titles` may be empty. nullopt = unknown.
std::optional<FieldRef> resolve_field(std::string_view name, const PatientTable& patients,
                                      const std::vector<std::string>& from_titles);

// The output column of a derived field under its own name (`visits`: a count), its kind that of
// its values (§8.39); none is personal.
Column field_column(Derived d);
// The output column of a resolved field titled as the user typed it (--fields, --by). A logical
// field is what model/fields says (its kind, its personal flag), a derived one as above — but
// §8.39 recognises a number, date or id by its exact title, so under another title (`Age`,
// `ФИО`) the column is text; a personal field stays personal under any title. A --from or other
// patients column is the user's: default_column(title).
Column field_column(const FieldRef& f, std::string title);

// The names of the logical and derived fields (§6.1), as --where, --by and --fields take them.
std::vector<std::string_view> builtin_field_names();

// What the visit fold must collect to answer these fields.
void add_needs(const FieldRef& f, StatsNeeds& needs);
// Which patients text fields the field reads (m_class: phone, need, referrer_id; home_branch:
// branch; an other column: the extras).
void add_needs(const FieldRef& f, PatientNeeds& needs);

// Everything a field value depends on.
struct FieldContext {
  const PatientTable& patients;
  const VisitFold& visits;
  Day as_of;
  const FromList* from = nullptr;
};

// activity (§6.1): prospect, new, active, sleeping, lost.
std::string_view activity_of(const VisitStats& s, Day as_of);
// m_class (§6.1, §8.23): M-A … M-E, or "" for patients it does not classify.
std::string_view m_class_of(const FieldContext& ctx, uint32_t p);
// home_branch with its fallback to the patient's branch (§8.16).
std::string_view home_branch_of(const FieldContext& ctx, uint32_t p);

// A field's value as csv prints it (§3, §8.17, §8.18): "" when missing.
std::string print_field(const FieldContext& ctx, uint32_t p, const FieldRef& f);

// Reads a list of resolved fields for one patient at a time, for WhereExpr::eval.
class PatientFieldGetter : public FieldGetter {
 public:
  PatientFieldGetter(const FieldContext& ctx, const std::vector<FieldRef>& fields);
  void set_patient(uint32_t p) { p_ = p; }
  FieldValue get(int id) const override;

 private:
  const FieldContext& ctx_;
  const std::vector<FieldRef>& fields_;
  uint32_t p_ = 0;
  mutable std::vector<std::string> text_;
  mutable std::vector<std::vector<std::string_view>> multi_;
};

}  // namespace kartoteka
