#include "rules/patient_fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include "model/fields.h"
#include "model/money.h"
#include "model/text.h"

namespace kartoteka {
namespace {

using S = FieldRef::Source;

struct Named {
  std::string_view name;
  FieldRef ref;
};

// The logical field each of the patient table's text fields holds, indexed by PText (`phones`,
// every number of the phone columns, is no field of its own).
constexpr Field kTextFields[] = {
    Field::id,         Field::name,   Field::last_name,  Field::first_name,  Field::middle_name,
    Field::phone,      Field::email,  Field::district,   Field::city,        Field::source,
    Field::profession, Field::branch, Field::categories, Field::referrer_id, Field::need};

// The patients' typed fields, kept in the table's PatientCore.
constexpr std::pair<Field, FieldRef> kCoreFields[] = {
    {Field::gender, {S::Gender, 0, FieldType::Gender}},
    {Field::birth_date, {S::BirthDate, 0, FieldType::Date}},
    {Field::sms_consent, {S::SmsConsent, 0, FieldType::Bool}},
    {Field::registered, {S::Registered, 0, FieldType::Date}},
    {Field::activity_date, {S::ActivityDate, 0, FieldType::Date}},
    {Field::purchased, {S::Purchased, 0, FieldType::Bool}}};

// The derived fields' names and types, indexed by Derived.
constexpr std::pair<std::string_view, FieldType> kDerived[] = {
    {"age", FieldType::Count},
    {"birth_month", FieldType::Count},
    {"birth_day", FieldType::Count},
    {"days_to_birthday", FieldType::Count},
    {"first_visit", FieldType::Date},
    {"last_visit", FieldType::Date},
    {"days_since_first_visit", FieldType::Count},
    {"days_since_last_visit", FieldType::Count},
    {"visits", FieldType::Count},
    {"spent", FieldType::Money},
    {"avg_check", FieldType::Money},
    {"services", FieldType::Multi},
    {"service_categories", FieldType::Multi},
    {"doctors", FieldType::Multi},
    {"home_branch", FieldType::Text},
    {"has_phone", FieldType::Bool},
    {"upcoming", FieldType::Bool},
    {"activity", FieldType::Text},
    {"m_class", FieldType::Text},
};
static_assert(std::size(kDerived) == static_cast<size_t>(Derived::kCount));

// A logical field of the patients file (§2.2) as the patient table keeps it.
FieldRef logical_ref(Field f) {
  for (const auto& [core, ref] : kCoreFields)
    if (core == f) return ref;
  const auto t = std::find(std::begin(kTextFields), std::end(kTextFields), f);
  return {S::Text, static_cast<int>(t - std::begin(kTextFields)),
          f == Field::categories ? FieldType::Multi : FieldType::Text};
}

// The patients file's logical fields in their §2.2 order (id … purchased), then the derived ones.
const std::vector<Named>& builtin_fields() {
  static const std::vector<Named> v = [] {
    std::vector<Named> v;
    for (size_t f = 0; f <= static_cast<size_t>(Field::purchased); ++f)
      v.push_back({field_name(static_cast<Field>(f)), logical_ref(static_cast<Field>(f))});
    for (size_t d = 0; d < std::size(kDerived); ++d)
      v.push_back({kDerived[d].first, {S::Derived, static_cast<int>(d), kDerived[d].second}});
    return v;
  }();
  return v;
}

}  // namespace

namespace {

// A derived field's column kind by its values' type, in FieldType's order: Text, Multi (printed
// `;`-joined), Count, Money, Date, Bool, Gender.
constexpr ColumnKind kKindOfType[] = {ColumnKind::Text,  ColumnKind::Text, ColumnKind::Integer,
                                      ColumnKind::Money, ColumnKind::Date, ColumnKind::Boolean,
                                      ColumnKind::Text};
static_assert(std::size(kKindOfType) == static_cast<size_t>(FieldType::Gender) + 1);

// A builtin field's column under its name: a logical field's from the vocabulary (model/fields).
Column builtin_column(const Named& n) {
  if (auto f = field_by_name(n.name)) return field_column(*f);
  return Column{std::string(n.name), kKindOfType[static_cast<size_t>(n.ref.type)], MaskKind::None};
}

}  // namespace

Column field_column(Derived d) {
  for (const Named& n : builtin_fields())
    if (n.ref.source == S::Derived && n.ref.index == static_cast<int>(d)) return builtin_column(n);
  return Column{};  // (every Derived is a builtin)
}

Column field_column(const FieldRef& f, std::string title) {
  if (f.source == S::From || f.source == S::Extra) return default_column(title);
  for (const Named& n : builtin_fields()) {
    if (!(n.ref == f)) continue;
    Column c = builtin_column(n);
    // Under another title (`--fields Age`) a number or boolean is text: §8.39 recognises those
    // by exact title. A date stays a date: §3 makes "any --fields date" a real date in xlsx.
    if (title != c.title && c.kind != ColumnKind::Date) c.kind = ColumnKind::Text;
    c.title = std::move(title);
    return c;
  }
  return Column{std::move(title)};  // (never: every other ref is a builtin's)
}

std::vector<std::string_view> builtin_field_names() {
  std::vector<std::string_view> names;
  for (const Named& n : builtin_fields()) names.push_back(n.name);
  return names;
}

namespace {

// Sets a FieldValue from one typed value: the text form in `buf`, list elements in `multi`.
struct ValueSetter {
  FieldValue& v;
  std::string& buf;
  std::vector<std::string_view>& multi;

  void text(std::string_view t) {
    v.missing = t.empty();
    v.text = t;
  }
  void count(int64_t n) {
    v.missing = false;
    v.num = n;
    buf = fmt::format("{}", n);
    v.text = buf;
  }
  void money(Kopecks k) {
    v.missing = false;
    v.num = k;
    buf = format_money(k);
    v.text = buf;
  }
  void date(Day d) {
    if (d == kNoDay) return;
    v.missing = false;
    v.num = d;
    buf = format_date(d);
    v.text = buf;
  }
  void boolean(bool b) {
    v.missing = false;
    v.num = b;
    v.text = b ? "true" : "false";
  }
  void tri(Tri t) {
    if (t != Tri::Unknown) boolean(t == Tri::True);
  }
  void list(std::vector<std::string_view> items) {
    multi = std::move(items);
    v.missing = multi.empty();
    v.multi = &multi;
    buf.clear();
    for (auto s : multi) {
      if (!buf.empty()) buf += ';';
      buf += s;
    }
    v.text = buf;
  }
};

// A field read from the patient table or the --from list as it is.
void stored_value(const FieldContext& ctx, uint32_t p, const FieldRef& f, ValueSetter& set) {
  const PatientTable& pt = ctx.patients;
  const PatientCore& core = pt.core(p);
  switch (f.source) {
    case S::Text:
      if (f.type == FieldType::Multi)
        set.list(split_joined(pt.text(p, static_cast<PText>(f.index))));
      else
        set.text(pt.text(p, static_cast<PText>(f.index)));
      return;
    case S::Gender:
      if (core.gender) {
        set.v.missing = false;
        set.v.num = core.gender;
        set.v.text = core.gender == 'M' ? "M" : "F";
      }
      return;
    case S::BirthDate:
      return set.date(core.birth_date);
    case S::Registered:
      return set.date(core.registered);
    case S::ActivityDate:
      return set.date(core.activity_date);
    case S::SmsConsent:
      return set.tri(core.sms_consent);
    case S::Purchased:
      return set.tri(core.purchased);
    case S::From:
      return set.text(ctx.from ? ctx.from->value(p, f.index) : std::string_view{});
    case S::Extra:
      return set.text(pt.extra(p, f.index));
    case S::Derived:
      return;
  }
}

// A field computed from the patient's core and visit statistics as of ctx.as_of.
void derived_value(const FieldContext& ctx, uint32_t p, const FieldRef& f, ValueSetter& set) {
  const PatientTable& pt = ctx.patients;
  const PatientCore& core = pt.core(p);
  const VisitStats& st = ctx.visits.stats(p);
  Day birth = core.birth_date;
  switch (static_cast<Derived>(f.index)) {
    case Derived::age:
      if (birth != kNoDay) set.count(age_in_years(birth, ctx.as_of));
      return;
    case Derived::birth_month:
      if (birth != kNoDay) set.count(ymd_from_days(birth).month);
      return;
    case Derived::birth_day:
      if (birth != kNoDay) set.count(ymd_from_days(birth).day);
      return;
    case Derived::days_to_birthday:
      if (birth != kNoDay) set.count(days_to_birthday(birth, ctx.as_of));
      return;
    case Derived::first_visit:
      return set.date(st.first_visit);
    case Derived::last_visit:
      return set.date(st.last_visit);
    case Derived::days_since_first_visit:
      if (st.first_visit != kNoDay) set.count(ctx.as_of - st.first_visit);
      return;
    case Derived::days_since_last_visit:
      if (st.last_visit != kNoDay) set.count(ctx.as_of - st.last_visit);
      return;
    case Derived::visits:
      return set.count(st.visits);
    case Derived::spent:
      return set.money(st.spent);
    case Derived::avg_check:
      if (st.visits > 0) set.money(div_round_half_away(st.spent, st.visits));
      return;
    case Derived::services:
      return set.list(ctx.visits.services(p));
    case Derived::service_categories:
      return set.list(ctx.visits.service_categories(p));
    case Derived::doctors:
      return set.list(ctx.visits.doctors(p));
    case Derived::home_branch:
      return set.text(home_branch_of(ctx, p));
    case Derived::has_phone:
      return set.boolean(!pt.text(p, PText::phone).empty());
    case Derived::upcoming:
      return set.boolean(st.upcoming);
    case Derived::activity:
      return set.text(activity_of(st, ctx.as_of));
    case Derived::m_class:
      return set.text(m_class_of(ctx, p));
    case Derived::kCount:
      return;
  }
}

// Fills `v` (text in `buf`, elements in `multi`) with the field's value for patient p.
void value_of(const FieldContext& ctx, uint32_t p, const FieldRef& f, FieldValue& v,
              std::string& buf, std::vector<std::string_view>& multi) {
  v = FieldValue{};
  ValueSetter set{v, buf, multi};
  if (f.source == S::Derived) {
    derived_value(ctx, p, f, set);
  } else {
    stored_value(ctx, p, f, set);
  }
}

}  // namespace

std::optional<FieldRef> resolve_field(std::string_view name, const PatientTable& patients,
                                      const std::vector<std::string>& from_titles) {
  std::string n = normalize_header(name);
  for (const auto& b : builtin_fields())
    if (normalize_header(b.name) == n) return b.ref;
  for (size_t k = 0; k < from_titles.size(); ++k)
    if (normalize_header(from_titles[k]) == n)
      return FieldRef{S::From, static_cast<int>(k), FieldType::Text};
  const auto& extra = patients.extra_titles();
  for (size_t k = 0; k < extra.size(); ++k)
    if (normalize_header(extra[k]) == n)
      return FieldRef{S::Extra, static_cast<int>(k), FieldType::Text};
  if (auto m = match_header(FileKind::Patients, name)) {
    std::string_view canonical = field_name(m->field);
    for (const auto& b : builtin_fields())
      if (b.name == canonical) return b.ref;
  }
  return std::nullopt;
}

void add_needs(const FieldRef& f, PatientNeeds& needs) {
  switch (f.source) {
    case FieldRef::Source::Text:
      needs.add(static_cast<PText>(f.index));
      break;
    case FieldRef::Source::Extra:
      needs.extras = true;
      break;
    case FieldRef::Source::Derived:
      switch (static_cast<Derived>(f.index)) {
        case Derived::has_phone:
          needs.add(PText::phone);
          break;
        case Derived::m_class:
          needs.add(PText::phone).add(PText::need).add(PText::referrer_id);
          break;
        case Derived::home_branch:
          needs.add(PText::branch);
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
}

void add_needs(const FieldRef& f, StatsNeeds& needs) {
  if (f.source != S::Derived) return;
  switch (static_cast<Derived>(f.index)) {
    case Derived::services:
      needs.services = true;
      break;
    case Derived::service_categories:
      needs.service_categories = true;
      break;
    case Derived::doctors:
      needs.doctors = true;
      break;
    case Derived::home_branch:
      needs.home_branch = true;
      break;
    default:
      break;
  }
}

std::string_view activity_of(const VisitStats& s, Day as_of) {
  if (s.visits == 0) return "prospect";
  if (as_of - s.first_visit < 90) return "new";
  if (as_of - s.last_visit < 180) return "active";
  if (as_of - s.last_visit < 1095) return "sleeping";
  return "lost";
}

std::string_view m_class_of(const FieldContext& ctx, uint32_t p) {
  const PatientTable& pt = ctx.patients;
  const VisitStats& s = ctx.visits.stats(p);
  bool potential = s.visits == 0 || ctx.as_of - s.last_visit >= 180;
  if (!potential || pt.text(p, PText::phone).empty()) return "";
  const PatientCore& core = pt.core(p);
  bool need = !pt.text(p, PText::need).empty();
  if (need && !pt.text(p, PText::referrer_id).empty()) return "M-A";
  if (need && core.purchased == Tri::True) return "M-B";
  if (need && core.activity_date != kNoDay && ctx.as_of - core.activity_date >= 0 &&
      ctx.as_of - core.activity_date <= 60)
    return "M-C";
  if (need || s.visits > 0) return "M-D";
  return "M-E";
}

std::string_view home_branch_of(const FieldContext& ctx, uint32_t p) {
  std::string_view b = ctx.visits.home_branch(p);
  return b.empty() ? ctx.patients.text(p, PText::branch) : b;
}

std::string print_field(const FieldContext& ctx, uint32_t p, const FieldRef& f) {
  FieldValue v;
  std::string buf;
  std::vector<std::string_view> multi;
  value_of(ctx, p, f, v, buf, multi);
  return v.missing ? std::string() : std::string(v.text);
}

PatientFieldGetter::PatientFieldGetter(const FieldContext& ctx, const std::vector<FieldRef>& fields)
    : ctx_(ctx), fields_(fields), text_(fields.size()), multi_(fields.size()) {}

FieldValue PatientFieldGetter::get(int id) const {
  FieldValue v;
  value_of(ctx_, p_, fields_[id], v, text_[id], multi_[id]);
  return v;
}

}  // namespace kartoteka
