#include "io/inspect_columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "io/typed_cells.h"
#include "model/text.h"

namespace kartoteka {
namespace {

CellCheck check_of(InspectKind kind, Field f) {
  // A typed cell is checked as the reader parses it; indexed by CellType.
  static constexpr CellCheck kTyped[] = {CellCheck::Date, CellCheck::RequiredDate, CellCheck::Money,
                                         CellCheck::Bool, CellCheck::Status};
  static_assert(std::size(kTyped) == static_cast<size_t>(io_detail::CellType::Status) + 1);
  if (auto t = io_detail::cell_type(f)) return kTyped[static_cast<size_t>(*t)];
  if (f == Field::phone) return CellCheck::Phone;
  if (f == Field::patient_id) return CellCheck::Required;
  // A stop list's row may name a phone only (§8.53): an empty id there is no fault.
  if (f != Field::id || kind == InspectKind::Exclude) return CellCheck::None;
  return kind == InspectKind::Patients ? CellCheck::PatientId : CellCheck::Required;
}

// A --from list's card column when no id header is there (§8.42): new_id, else referrer_id.
int fallback_key(const std::vector<std::string>& header) {
  for (std::string_view want : {"new id", "referrer id"})
    for (size_t c = 0; c < header.size(); ++c)
      if (normalize_header(header[c]) == want) return static_cast<int>(c);
  return ColumnMap::kAbsent;
}

}  // namespace

bool bare_phone_list(InspectKind kind, const std::vector<std::string>& header,
                     const std::vector<ColOverride>& cols) {
  if (kind != InspectKind::Exclude || header.size() != 1) return false;
  const ColumnMap m = map_columns(FileKind::List, header, cols, "");
  return !m.has(Field::id) && !m.has(Field::phone);
}

bool personal_title(std::string_view title) {
  if (auto m = match_header(FileKind::Patients, title); m && field_personal(m->field)) return true;
  const std::string n = normalize_header(title);
  auto ends_with = [&](std::string_view s) {
    return n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
  };
  if (n == "name" || ends_with(" name") || ends_with(" phone") || ends_with(" email")) return true;
  // A message text (sms `text`, referrals `sms_text`) greets the patient by name.
  if (n == "text" || ends_with(" text")) return true;
  for (std::string_view word : {"фио", "фамилия", "имя", "отчество", "телефон", "phone", "e mail",
                                "email", "почта", "дата рождения"})
    if (n.find(word) != std::string::npos) return true;
  return false;
}

std::vector<ColumnRole> column_roles(InspectKind kind, const std::vector<std::string>& header,
                                     const std::vector<ColOverride>& cols) {
  const FileKind fk = file_kind_of(kind);
  ColumnMap m = map_columns(fk, header, cols, "");
  // A --from list's phones travel like any other column; its key may be new_id / referrer_id.
  if (kind == InspectKind::From) {
    m.phones.clear();
    m.col[static_cast<size_t>(Field::phone)] = ColumnMap::kAbsent;
    if (!m.has(Field::id)) m.col[static_cast<size_t>(Field::id)] = fallback_key(header);
  }
  // A stop list whose first line is one field and no header is a bare list of phones (§8.53).
  if (bare_phone_list(kind, header, cols)) m.phones = {0};
  std::vector<ColumnRole> roles(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    ColumnRole& r = roles[c];
    const int ci = static_cast<int>(c);
    std::optional<Field> feeds;
    if (std::find(m.phones.begin(), m.phones.end(), ci) != m.phones.end()) feeds = Field::phone;
    for (size_t f = 0; f < kFieldCount && !feeds; ++f)
      if (m.col[f] == ci) feeds = static_cast<Field>(f);
    if (feeds) {
      r.field = std::string(field_name(*feeds));
      r.check = check_of(kind, *feeds);
      r.personal = field_personal(*feeds) || personal_title(header[c]);
      continue;
    }
    r.field.assign(1, '-');  // (not `= "-"`: GCC 12 warns -Wrestrict falsely)
    r.personal = personal_title(header[c]);
    // A header of a field that another column feeds (a lower-ranked alias, an equal title to
    // the right, or a column --col passed over).
    auto hm = match_header(fk, header[c]);
    if (hm && m.has(hm->field) && !(kind == InspectKind::From && hm->field == Field::phone))
      r.field = fmt::format("ignored: {} read from \"{}\"", field_name(hm->field),
                            header[static_cast<size_t>(m[hm->field])]);
  }
  return roles;
}

FileKind file_kind_of(InspectKind kind) {
  switch (kind) {
    case InspectKind::Patients:
      return FileKind::Patients;
    case InspectKind::Visits:
      return FileKind::Visits;
    case InspectKind::Adjustments:
      return FileKind::Adjustments;
    default:
      return FileKind::List;
  }
}

}  // namespace kartoteka
