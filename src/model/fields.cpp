// The field vocabulary: see fields.h.
#include "model/fields.h"

#include <array>
#include <iterator>
#include <string>
#include <utility>

#include "model/text.h"

namespace kartoteka {
namespace {

// What each field is, in the order of the enum: its canonical name, its kind as an output column,
// what --mask replaces (field_column) and whether inspect hides it (field_personal).
struct FieldInfo {
  std::string_view name;
  ColumnKind kind = ColumnKind::Text;
  MaskKind mask = MaskKind::None;
  bool personal = false;
};
constexpr ColumnKind kId = ColumnKind::Id, kDate = ColumnKind::Date, kMoney = ColumnKind::Money,
                     kText = ColumnKind::Text, kBool = ColumnKind::Boolean;
constexpr MaskKind kName = MaskKind::Name, kPhone = MaskKind::Phone, kNone = MaskKind::None;
constexpr FieldInfo kFields[] = {{"id", kId},
                                 {"name", kText, kName, true},
                                 {"last_name", kText, kName, true},
                                 {"first_name", kText, kName, true},
                                 {"middle_name", kText, kName, true},
                                 {"gender"},
                                 {"birth_date", kDate, kNone, true},
                                 {"phone", kText, kPhone, true},
                                 {"email", kText, kNone, true},
                                 {"sms_consent", kBool},
                                 {"registered", kDate},
                                 {"district"},
                                 {"city"},
                                 {"source"},
                                 {"profession"},
                                 {"branch"},
                                 {"categories"},
                                 {"referrer_id", kId},
                                 {"need", kText, kNone, true},
                                 {"activity_date", kDate},
                                 {"purchased", kBool},
                                 {"visit_id"},
                                 {"patient_id", kId},
                                 {"date", kDate},
                                 {"amount", kMoney},
                                 {"bonus_paid", kMoney},
                                 {"service"},
                                 {"service_category"},
                                 {"doctor"},
                                 {"status"},
                                 {"note"}};
static_assert(std::size(kFields) == kFieldCount);

const FieldInfo& info(Field f) {
  return kFields[static_cast<size_t>(f)];
}

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

}  // namespace

std::string_view field_name(Field f) {
  return info(f).name;
}

std::optional<Field> field_by_name(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i)
    if (kFields[i].name == name) return static_cast<Field>(i);
  return std::nullopt;
}

Column field_column(Field f) {
  return Column{std::string(info(f).name), info(f).kind, info(f).mask};
}

bool field_personal(Field f) {
  return info(f).personal;
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

std::vector<std::string_view> field_headers(FileKind kind, Field f) {
  for (const auto& al : aliases(kind))
    if (al.field == f) return al.headers;
  return {};
}

}  // namespace kartoteka
