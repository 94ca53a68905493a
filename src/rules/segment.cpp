#include "rules/segment.h"

#include <algorithm>
#include <map>
#include <memory>

#include "model/money.h"
#include "model/text.h"

namespace kartoteka {

SegmentWheres::SegmentWheres(const std::vector<std::string>& texts, const TypeOf& type_of)
    : texts_(texts) {
  for (size_t e = 0; e < texts_.size(); ++e) {
    const std::string_view text = texts_[e];
    auto resolve = [&](std::string_view name) -> std::optional<FieldInfo> {
      const FieldType type = type_of(name);
      auto it =
          std::find_if(names_.begin(), names_.end(), [&](const Name& n) { return n.text == name; });
      if (it == names_.end())  // the name is a view into `text` (FieldResolver)
        it = names_.insert(names_.end(), Name{std::string(name), e,
                                              static_cast<size_t>(name.data() - text.data())});
      return FieldInfo{static_cast<int>(it - names_.begin()), type};
    };
    try {
      exprs_.push_back(WhereExpr::parse(text, resolve));
      errors_.emplace_back();
    } catch (const UsageError&) {
      exprs_.emplace_back();
      errors_.push_back(std::current_exception());
    }
  }
}

bool SegmentWheres::parsed() const {
  return std::all_of(errors_.begin(), errors_.end(), [](const auto& e) { return !e; });
}

void SegmentWheres::bind(const Resolve& resolve) {
  fields_.clear();
  for (size_t e = 0; e < texts_.size(); ++e) {
    // An unknown field ends the parse where it stands, before any later syntax error; the names
    // first met in this expression are in the order the parser met them.
    for (size_t id = 0; id < names_.size(); ++id) {
      if (names_[id].expr != e) continue;
      std::optional<FieldRef> ref = resolve(names_[id].text);
      if (!ref)
        throw where_error(texts_[e], names_[id].at, "unknown field \"" + names_[id].text + "\"");
      fields_.resize(id + 1);
      fields_[id] = *ref;
    }
    if (errors_[e]) std::rethrow_exception(errors_[e]);
  }
}

std::vector<uint32_t> filter_patients(const FieldContext& ctx,
                                      const std::vector<uint32_t>& population,
                                      const std::vector<WhereExpr>& wheres,
                                      const std::vector<FieldRef>& where_fields) {
  if (wheres.empty()) return population;
  PatientFieldGetter getter(ctx, where_fields);
  std::vector<uint32_t> out;
  out.reserve(population.size());
  for (uint32_t p : population) {
    getter.set_patient(p);
    if (std::all_of(wheres.begin(), wheres.end(),
                    [&](const WhereExpr& e) { return e.eval(getter); }))
      out.push_back(p);
  }
  return out;
}

std::vector<Column> segment_list_columns() {
  std::vector<Column> columns = patient_list_head();
  for (Derived d : {Derived::last_visit, Derived::visits, Derived::spent})
    columns.push_back(field_column(d));
  return columns;
}

void segment_list(const FieldContext& ctx, std::vector<uint32_t> selected,
                  const std::vector<NamedField>& extra, RowSink& out) {
  const PatientTable& pt = ctx.patients;
  sort_by_id(pt, selected);
  std::vector<Column> columns = segment_list_columns();
  for (const auto& f : extra) columns.push_back(field_column(f.ref, f.title));
  const FromColumns from_columns(ctx.from, columns);
  out.columns(columns);
  std::vector<FieldRef> refs;
  for (const auto& f : extra) refs.push_back(f.ref);
  out.rows(selected.size(), columns.size(), [&] {
    // Each filling thread's getter keeps its text buffers from patient to patient; it prints
    // what print_field does.
    return [&, getter = std::make_shared<PatientFieldGetter>(ctx, refs)](
               size_t i, std::vector<std::string>& cells) {
      const uint32_t p = selected[i];
      const VisitStats& s = ctx.visits.stats(p);
      set_cell(cells[0], pt.id(p));
      set_cell(cells[1], pt.text(p, PText::name));
      set_cell(cells[2], pt.text(p, PText::phone));
      set_date(cells[3], s.last_visit);
      set_number(cells[4], s.visits);
      set_money(cells[5], s.spent);
      getter->set_patient(p);
      for (size_t k = 0; k < extra.size(); ++k) {
        const FieldValue v = getter->get(static_cast<int>(k));
        set_cell(cells[6 + k], v.missing ? std::string_view() : v.text);
      }
      from_columns.fill(cells, p);
    };
  });
}

namespace {

struct KeyPart {
  std::string text;
  int64_t num = 0;
  bool missing = true;
  std::string group;  // what groups it: `text` folded for text fields (§8.46), else `text`
};

struct Group {
  std::vector<KeyPart> key;
  uint32_t first = UINT32_MAX;  // the patient (file order) whose spelling `key` is
  uint64_t patients = 0;
  uint64_t visits = 0;
  Kopecks spent = 0;
};

// Ascending by the field's type (§8.24): numbers, money and dates by value, booleans false before
// true (their num), everything else as byte-order text; the empty key first.
int compare_part(const KeyPart& a, const KeyPart& b, FieldType type) {
  if (a.missing != b.missing) return a.missing ? -1 : 1;
  if (a.missing) return 0;
  switch (type) {
    case FieldType::Count:
    case FieldType::Money:
    case FieldType::Date:
    case FieldType::Bool:
      return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
    default:
      return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }
}

// §8.46, §8.57: text groups as --where compares it (lower-case, ё = е; cells are already
// trimmed), except the identifiers id, phone and email, which group exactly.
bool folds(const FieldRef& f) {
  if (f.type != FieldType::Text && f.type != FieldType::Multi) return false;
  if (f.source != FieldRef::Source::Text) return true;
  const auto t = static_cast<PText>(f.index);
  return t != PText::id && t != PText::phone && t != PText::email;
}

// One field's values for one patient: a multi-valued field's elements (two spellings of one
// group count once: the first element in cell order stands for it), else the one value.
void key_options(const FieldValue& v, bool fold_text, std::vector<KeyPart>& out) {
  out.clear();
  auto add = [&](std::string_view text, int64_t num, bool missing) {
    std::string group = fold_text ? fold(text) : std::string(text);
    for (const auto& o : out)
      if (o.group == group) return;
    out.push_back({std::string(text), num, missing, std::move(group)});
  };
  if (v.multi) {
    for (auto e : *v.multi) add(e, 0, e.empty());
  } else if (!v.missing) {
    add(v.text, v.num, false);
  }
  if (out.empty()) out.push_back({});
}

}  // namespace

Table segment_groups(const FieldContext& ctx, const std::vector<uint32_t>& selected,
                     const std::vector<NamedField>& by) {
  std::vector<FieldRef> refs;
  for (const auto& f : by) refs.push_back(f.ref);
  PatientFieldGetter getter(ctx, refs);
  std::map<std::vector<std::string>, Group> groups;  // by KeyPart::group (empty = missing)
  std::vector<std::vector<KeyPart>> options(by.size());
  std::vector<bool> fold_text;
  for (const auto& f : by) fold_text.push_back(folds(f.ref));
  for (uint32_t p : selected) {
    getter.set_patient(p);
    for (size_t i = 0; i < by.size(); ++i)
      key_options(getter.get(static_cast<int>(i)), fold_text[i], options[i]);
    // Every combination of the fields' values (§8.24).
    std::vector<size_t> pick(by.size(), 0);
    const VisitStats& s = ctx.visits.stats(p);
    while (true) {
      std::vector<std::string> key;
      for (size_t i = 0; i < by.size(); ++i) key.push_back(options[i][pick[i]].group);
      Group& g = groups[key];
      if (p < g.first) {  // printed as the first patient in patients-file order spells it
        g.first = p;
        g.key.clear();
        for (size_t i = 0; i < by.size(); ++i) g.key.push_back(options[i][pick[i]]);
      }
      ++g.patients;
      g.visits += s.visits;
      g.spent += s.spent;
      size_t i = 0;
      while (i < by.size() && ++pick[i] == options[i].size()) pick[i++] = 0;
      if (i == by.size()) break;
    }
  }
  std::vector<const Group*> sorted;
  for (const auto& [k, g] : groups) sorted.push_back(&g);
  std::sort(sorted.begin(), sorted.end(), [&](const Group* a, const Group* b) {
    if (a->patients != b->patients) return a->patients > b->patients;
    for (size_t i = 0; i < by.size(); ++i)
      if (int c = compare_part(a->key[i], b->key[i], by[i].ref.type)) return c < 0;
    return false;
  });
  Table t;
  for (const auto& f : by) t.columns.push_back(field_column(f.ref, f.title));
  // The group's count, its share of `selected`, and its members' visits and spent added up.
  t.columns.insert(t.columns.end(), {col::count("patients"), col::decimal("share"),
                                     col::count("visits"), col::money("spent")});
  for (const Group* g : sorted) {
    std::vector<std::string> row;
    for (const auto& k : g->key) row.push_back(k.text);
    row.push_back(std::to_string(g->patients));
    row.push_back(format_share(g->patients, selected.size()));
    row.push_back(std::to_string(g->visits));
    row.push_back(format_money(g->spent));
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace kartoteka
