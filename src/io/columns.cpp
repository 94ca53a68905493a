#include "io/columns.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/errors.h"
#include "model/text.h"

namespace kartoteka {
namespace {

constexpr std::array<std::string_view, kFieldCount> kNames = {
    "id",         "name",          "last_name",  "first_name",       "middle_name", "gender",
    "birth_date", "phone",         "email",      "sms_consent",      "registered",  "district",
    "city",       "source",        "profession", "branch",           "categories",  "referrer_id",
    "need",       "activity_date", "purchased",  "visit_id",         "patient_id",  "date",
    "amount",     "bonus_paid",    "service",    "service_category", "doctor",      "status",
    "note"};

struct Alias {
  Field field;
  std::vector<std::string_view> headers;  // Russian headers in SPEC §2.3 order
};

// SPEC §2.3. The canonical English name is always rank 0 and is not repeated here.
const std::vector<Alias>& patient_aliases() {
  static const std::vector<Alias> a = {
      {Field::id,
       {"Номер карты", "№ карты", "Номер медкарты", "Номер медицинской карты", "Медкарта", "Карта",
        "Код пациента", "Код"}},
      {Field::name, {"ФИО", "Пациент", "ФИО пациента"}},
      {Field::last_name, {"Фамилия"}},
      {Field::first_name, {"Имя"}},
      {Field::middle_name, {"Отчество"}},
      {Field::gender, {"Пол"}},
      {Field::birth_date, {"Дата рождения"}},
      {Field::phone,
       {"Телефон", "Мобильный телефон", "Телефон мобильный", "Сотовый", "Моб. телефон"}},
      {Field::email, {"Email", "E-mail", "Эл. почта", "Электронная почта"}},
      {Field::sms_consent,
       {"Согласие на SMS", "Согласие на СМС", "Согласие на рассылку", "Рассылка"}},
      {Field::registered, {"Дата регистрации", "Дата первого обращения", "Дата создания"}},
      {Field::district, {"Район"}},
      {Field::city, {"Город"}},
      {Field::source, {"Источник", "Откуда узнали", "Канал привлечения", "Источник привлечения"}},
      {Field::profession, {"Профессия", "Место работы"}},
      {Field::categories, {"Категории", "Категория", "Категории пациента", "Метки"}},
      {Field::referrer_id,
       {"Кто рекомендовал", "Рекомендатель", "Карта рекомендателя", "Рекомендация",
        "По рекомендации"}},
      {Field::branch, {"Филиал", "Клиника", "Подразделение"}},
      {Field::need, {"Потребность", "Жалоба", "Запрос"}},
      {Field::activity_date, {"Дата акции", "Дата мероприятия", "Последняя акция"}},
      {Field::purchased, {"Покупка", "Купил"}},
  };
  return a;
}

const std::vector<Alias>& visit_aliases() {
  static const std::vector<Alias> a = {
      {Field::visit_id, {"Номер визита", "Визит", "Документ", "Номер документа"}},
      {Field::patient_id, {"Номер карты", "№ карты", "Карта", "Код пациента", "Пациент ID", "id"}},
      {Field::date, {"Дата", "Дата визита", "Дата приема", "Дата приёма", "Дата оказания"}},
      {Field::amount, {"Сумма", "Оплачено", "Сумма оплаты", "Стоимость"}},
      {Field::bonus_paid, {"Оплачено бонусами", "Списано бонусов", "Бонусы"}},
      {Field::service, {"Услуга", "Номенклатура"}},
      {Field::service_category, {"Категория услуги", "Вид услуги", "Группа услуг"}},
      {Field::doctor, {"Врач", "Доктор", "Сотрудник"}},
      {Field::branch, {"Филиал", "Клиника", "Подразделение"}},
      {Field::status, {"Статус", "Состояние"}},
      {Field::referrer_id,
       {"Кто рекомендовал", "Рекомендатель", "Карта рекомендателя", "Рекомендация",
        "По рекомендации"}},
  };
  return a;
}

// SPEC §8.33: adjustments use the visits' headers for date, patient_id, amount.
const std::vector<Alias>& adjustment_aliases() {
  static const std::vector<Alias> a = [] {
    std::vector<Alias> v;
    for (const auto& al : visit_aliases())
      if (al.field == Field::date || al.field == Field::patient_id || al.field == Field::amount)
        v.push_back(al);
    v.push_back({Field::note, {"Комментарий", "Примечание"}});
    return v;
  }();
  return a;
}

// §8.42, §8.53: a list's card column is named as the patients' id, its phones as theirs.
const std::vector<Alias>& list_aliases() {
  static const std::vector<Alias> a = [] {
    std::vector<Alias> v;
    for (const auto& al : patient_aliases())
      if (al.field == Field::id || al.field == Field::phone) v.push_back(al);
    return v;
  }();
  return a;
}

const std::vector<Alias>& aliases(FileKind kind) {
  switch (kind) {
    case FileKind::Patients:
      return patient_aliases();
    case FileKind::Visits:
      return visit_aliases();
    case FileKind::List:
      return list_aliases();
    default:
      return adjustment_aliases();
  }
}

// Normalised alias → (field, rank), built once per kind.
struct AliasIndex {
  std::vector<std::pair<std::string, HeaderMatch>> entries;
};

const AliasIndex& alias_index(FileKind kind) {
  static AliasIndex idx[4];
  static bool built[4] = {false, false, false, false};
  int k = static_cast<int>(kind);
  if (!built[k]) {
    for (const auto& al : aliases(kind)) {
      idx[k].entries.push_back({normalize_header(field_name(al.field)), {al.field, 0}});
      int rank = 1;
      for (auto h : al.headers) idx[k].entries.push_back({normalize_header(h), {al.field, rank++}});
    }
    built[k] = true;
  }
  return idx[k];
}

// §8.45: every header that matches `phone` is read, best rank first; of titles equal after
// §8.6 only the leftmost (the others stay other columns). `candidates` are the columns that
// matched phone by the alias table (none when --col phone= bound one).
void bind_all_phones(FileKind kind, const std::vector<std::string>& header,
                     const std::vector<std::string>& norm, std::vector<int> candidates,
                     ColumnMap& m) {
  const int first = m[Field::phone];
  if (first == ColumnMap::kAbsent) return;
  if (candidates.empty()) {  // --col phone=HEADER: that column only
    m.phones = {first};
    return;
  }
  auto rank = [&](int c) { return match_header(kind, header[c])->rank; };
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](int a, int b) { return rank(a) < rank(b); });
  for (int c : candidates)
    if (std::none_of(m.phones.begin(), m.phones.end(), [&](int p) { return norm[p] == norm[c]; }))
      m.phones.push_back(c);
}

// The words of a title after §8.6 normalisation ("Дата операции" → дата, операции).
std::vector<std::string> words_of(std::string_view title) {
  const std::string n = normalize_header(title);
  std::vector<std::string> words;
  for (size_t i = 0; i < n.size();) {
    size_t j = std::min(n.find(' ', i), n.size());
    if (j > i) words.push_back(n.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

// A header as one shell word, so that the suggested option can be pasted: as it is when it
// holds nothing a shell would split or expand, else in double quotes (`"` `\` `$` `` ` ``
// escaped).
std::string shell_word(const std::string& h) {
  constexpr std::string_view kSpecial = " \t\"'\\$`;&|()<>*?[]#~!{}";
  if (h.find_first_of(kSpecial) == std::string::npos) return h;
  std::string quoted = "\"";
  for (char ch : h) {
    if (ch == '"' || ch == '\\' || ch == '$' || ch == '`') quoted += '\\';
    quoted += ch;
  }
  return quoted + '"';
}

}  // namespace

std::string_view field_name(Field f) {
  return kNames[static_cast<size_t>(f)];
}

std::optional<Field> field_by_name(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i)
    if (kNames[i] == name) return static_cast<Field>(i);
  return std::nullopt;
}

bool kind_has_field(FileKind kind, Field f) {
  for (const auto& al : aliases(kind))
    if (al.field == f) return true;
  return false;
}

std::optional<HeaderMatch> match_header(FileKind kind, std::string_view title) {
  std::string n = normalize_header(title);
  std::optional<HeaderMatch> best;
  for (const auto& [alias, m] : alias_index(kind).entries)
    if (alias == n && (!best || m.rank < best->rank)) best = m;
  return best;
}

bool override_applies(FileKind kind, const std::vector<std::string>& header, const ColOverride& o) {
  if (!kind_has_field(kind, o.field)) return false;
  std::string want = normalize_header(o.header);
  return std::any_of(header.begin(), header.end(),
                     [&](const std::string& t) { return normalize_header(t) == want; });
}

ColumnMap map_columns(FileKind kind, const std::vector<std::string>& header,
                      const std::vector<ColOverride>& overrides, const std::string& file) {
  ColumnMap m;
  m.col.fill(ColumnMap::kAbsent);
  std::vector<bool> used(header.size(), false);
  std::vector<std::string> norm;
  norm.reserve(header.size());
  for (const auto& t : header) norm.push_back(normalize_header(t));

  for (const auto& o : overrides) {
    if (!kind_has_field(kind, o.field)) continue;
    std::string want = normalize_header(o.header);
    for (size_t c = 0; c < header.size(); ++c)
      if (norm[c] == want) {
        m.col[static_cast<size_t>(o.field)] = static_cast<int>(c);
        used[c] = true;
        break;  // two equal headers: the leftmost
      }
  }

  std::array<int, kFieldCount> best_rank;
  best_rank.fill(1 << 30);
  std::array<std::vector<int>, kFieldCount> candidates;
  for (size_t c = 0; c < header.size(); ++c) {
    if (used[c]) continue;
    auto hm = match_header(kind, header[c]);
    if (!hm) continue;
    size_t f = static_cast<size_t>(hm->field);
    if (m.col[f] != ColumnMap::kAbsent && best_rank[f] == (1 << 30)) continue;  // --col won
    candidates[f].push_back(static_cast<int>(c));
    if (hm->rank < best_rank[f]) {
      best_rank[f] = hm->rank;
      m.col[f] = static_cast<int>(c);
    }
  }
  bind_all_phones(kind, header, norm, candidates[static_cast<size_t>(Field::phone)], m);
  for (int c : m.phones) used[c] = true;
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (m.col[f] != ColumnMap::kAbsent) used[m.col[f]] = true;
    if (f == static_cast<size_t>(Field::phone) && m.phones.size() > 1) {
      std::string read;
      for (int c : m.phones) read += fmt::format("{}\"{}\"", read.empty() ? "" : ", ", header[c]);
      m.notes.push_back(fmt::format(
          "{}: field phone read from columns {} (one list: the first Russian mobile wins)", file,
          read));
      continue;
    }
    if (candidates[f].size() > 1) {
      std::string others;
      for (int c : candidates[f])
        if (c != m.col[f]) others += fmt::format("{}\"{}\"", others.empty() ? "" : ", ", header[c]);
      m.notes.push_back(fmt::format("{}: field {} read from column \"{}\" (also matched: {})", file,
                                    kNames[f], header[m.col[f]], others));
    }
  }
  for (size_t c = 0; c < header.size(); ++c)
    if (!used[c]) m.others.push_back(static_cast<int>(c));
  return m;
}

void require(const ColumnMap& map, Field f, const std::vector<std::string>& header,
             const std::string& file, FileKind kind) {
  if (map.has(f)) return;
  std::string seen;
  for (const auto& t : header) seen += fmt::format("{}\"{}\"", seen.empty() ? "" : ", ", t);
  throw InputError(
      fmt::format("{}: required column {} not found (headers seen: {}); name it with {}", file,
                  field_name(f), seen, col_suggestion(f, kind, header, &map)));
}

std::string col_suggestion(Field f, FileKind kind, const std::vector<std::string>& header,
                           const ColumnMap* bound) {
  // The words of the field's name and headers: a column titled with one of them is likely it.
  std::vector<std::string> words = words_of(field_name(f));
  for (const auto& al : aliases(kind))
    if (al.field == f)
      for (auto h : al.headers)
        for (auto& w : words_of(h)) words.push_back(std::move(w));
  std::vector<size_t> likely;
  for (size_t c = 0; c < header.size(); ++c) {
    const bool unbound = !bound || std::find(bound->others.begin(), bound->others.end(),
                                             static_cast<int>(c)) != bound->others.end();
    const auto own = words_of(header[c]);
    if (unbound && std::any_of(own.begin(), own.end(), [&](const std::string& w) {
          return std::find(words.begin(), words.end(), w) != words.end();
        }))
      likely.push_back(c);
  }
  if (likely.size() != 1) return fmt::format("--col {}=HEADER", field_name(f));
  return fmt::format("--col {}={}", field_name(f), shell_word(header[likely[0]]));
}

void ColUsage::offer(FileKind kind, const std::vector<std::string>& header, const std::string& file,
                     const std::vector<ColOverride>& cols) {
  used_.resize(cols.size(), false);
  files_.push_back(file);
  for (size_t i = 0; i < cols.size(); ++i)
    if (override_applies(kind, header, cols[i])) used_[i] = true;
}

void ColUsage::check(const std::vector<ColOverride>& cols) const {
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i < used_.size() && used_[i]) continue;
    std::string files;
    for (const auto& f : files_) files += fmt::format("{}{}", files.empty() ? "" : ", ", f);
    throw InputError(
        fmt::format("--col {}={}: no input with a {} field has a column \"{}\" (inputs read: {})",
                    field_name(cols[i].field), cols[i].header, field_name(cols[i].field),
                    cols[i].header, files));
  }
}

}  // namespace kartoteka
