// Header recognition and column binding (SPEC §2.3, §8.6, §8.7). Expectations come from the
// alias table of §2.3 (listed order = priority, canonical English name first) and §8.6's
// normalisation, worked out by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "io/columns.h"
#include "model/errors.h"

using namespace kartoteka;

namespace {

std::optional<Field> field_of(FileKind kind, std::string_view title) {
  auto m = match_header(kind, title);
  if (!m) return std::nullopt;
  return m->field;
}

int rank_of(FileKind kind, std::string_view title) {
  auto m = match_header(kind, title);
  REQUIRE(m.has_value());
  return m->rank;
}

bool has_text(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("columns: field names and kinds") {
  CHECK(field_name(Field::birth_date) == "birth_date");
  CHECK(field_name(Field::service_category) == "service_category");
  CHECK(field_by_name("sms_consent") == Field::sms_consent);
  CHECK(field_by_name("patient_id") == Field::patient_id);
  CHECK_FALSE(field_by_name("bogus").has_value());
  // Patients-only, visits-only and shared fields (§2.2).
  CHECK(kind_has_field(FileKind::Patients, Field::gender));
  CHECK_FALSE(kind_has_field(FileKind::Visits, Field::gender));
  CHECK(kind_has_field(FileKind::Visits, Field::amount));
  CHECK_FALSE(kind_has_field(FileKind::Patients, Field::amount));
  CHECK(kind_has_field(FileKind::Patients, Field::branch));
  CHECK(kind_has_field(FileKind::Visits, Field::branch));
  CHECK(kind_has_field(FileKind::Patients, Field::referrer_id));
  CHECK(kind_has_field(FileKind::Visits, Field::referrer_id));
  // Adjustments (§8.33): date, patient_id, amount, note.
  CHECK(kind_has_field(FileKind::Adjustments, Field::note));
  CHECK(kind_has_field(FileKind::Adjustments, Field::amount));
  CHECK_FALSE(kind_has_field(FileKind::Adjustments, Field::service));
}

TEST_CASE("columns: match_header canonical names are rank 0, normalised (§8.6)") {
  CHECK(match_header(FileKind::Patients, "id")->field == Field::id);
  CHECK(rank_of(FileKind::Patients, "id") == 0);
  // trim, lower-case, runs of _ - . and spaces are one space: all equal "birth date".
  for (const char* t : {"birth_date", "Birth_Date", "  BIRTH-DATE ", "birth.date", "birth - date",
                        "birth__date", "birth\tdate"}) {
    CAPTURE(t);
    CHECK(field_of(FileKind::Patients, t) == Field::birth_date);
    CHECK(rank_of(FileKind::Patients, t) == 0);
  }
  CHECK(field_of(FileKind::Visits, "Patient_ID") == Field::patient_id);
  CHECK(rank_of(FileKind::Visits, "patient-id") == 0);
  CHECK(field_of(FileKind::Visits, "service category") == Field::service_category);
  CHECK(field_of(FileKind::Adjustments, "NOTE") == Field::note);
  CHECK(field_of(FileKind::Patients, "EMAIL") == Field::email);  // the canonical name
  CHECK(rank_of(FileKind::Patients, "EMAIL") == 0);
  // Not a near match: "birthdate" has no separator, "birth_dates" is another word.
  CHECK_FALSE(field_of(FileKind::Patients, "birthdate").has_value());
  CHECK_FALSE(field_of(FileKind::Patients, "birth_dates").has_value());
}

TEST_CASE("columns: match_header Russian aliases of §2.3") {
  struct Case {
    FileKind kind;
    const char* title;
    Field field;
  };
  const Case cases[] = {
      {FileKind::Patients, "Номер карты", Field::id},
      {FileKind::Patients, "Номер_карты", Field::id},  // `_` is a space (§8.6)
      {FileKind::Patients, "НОМЕР КАРТЫ", Field::id},
      {FileKind::Patients, "№ карты", Field::id},
      {FileKind::Patients, "Номер медицинской карты", Field::id},
      {FileKind::Patients, "Код", Field::id},
      {FileKind::Patients, "ФИО", Field::name},
      {FileKind::Patients, "Пациент", Field::name},
      {FileKind::Patients, "Фамилия", Field::last_name},
      {FileKind::Patients, "Имя", Field::first_name},
      {FileKind::Patients, "Отчество", Field::middle_name},
      {FileKind::Patients, "Пол", Field::gender},
      {FileKind::Patients, "Дата рождения", Field::birth_date},
      {FileKind::Patients, "Моб. телефон", Field::phone},  // `Моб.` → `моб`
      {FileKind::Patients, "моб телефон", Field::phone},
      {FileKind::Patients, "Моб.телефон", Field::phone},  // "." alone separates too
      {FileKind::Patients, "Сотовый", Field::phone},
      {FileKind::Patients, "Телефон мобильный", Field::phone},
      {FileKind::Patients, "E-mail", Field::email},
      {FileKind::Patients, "e mail", Field::email},
      {FileKind::Patients, "Эл. почта", Field::email},
      {FileKind::Patients, "Согласие на СМС", Field::sms_consent},
      {FileKind::Patients, "Рассылка", Field::sms_consent},
      {FileKind::Patients, "Дата первого обращения", Field::registered},
      {FileKind::Patients, "Район", Field::district},
      {FileKind::Patients, "Город", Field::city},
      {FileKind::Patients, "Откуда узнали", Field::source},
      {FileKind::Patients, "Место работы", Field::profession},
      {FileKind::Patients, "Метки", Field::categories},
      {FileKind::Patients, "Категория", Field::categories},
      {FileKind::Patients, "По рекомендации", Field::referrer_id},
      {FileKind::Patients, "Карта рекомендателя", Field::referrer_id},
      {FileKind::Patients, "Клиника", Field::branch},
      {FileKind::Patients, "Жалоба", Field::need},
      {FileKind::Patients, "Дата акции", Field::activity_date},
      {FileKind::Patients, "дата_акции", Field::activity_date},
      {FileKind::Patients, "Последняя акция", Field::activity_date},
      {FileKind::Patients, "Купил", Field::purchased},
      {FileKind::Visits, "Номер визита", Field::visit_id},
      {FileKind::Visits, "Документ", Field::visit_id},
      {FileKind::Visits, "Номер карты", Field::patient_id},
      {FileKind::Visits, "Пациент ID", Field::patient_id},
      {FileKind::Visits, "id", Field::patient_id},
      {FileKind::Visits, "Дата", Field::date},
      {FileKind::Visits, "Дата приема", Field::date},
      {FileKind::Visits, "Дата приёма", Field::date},  // ё = е
      {FileKind::Visits, "ДАТА ПРИЁМА", Field::date},
      {FileKind::Visits, "Дата оказания", Field::date},
      {FileKind::Visits, "Сумма оплаты", Field::amount},
      {FileKind::Visits, "Стоимость", Field::amount},
      {FileKind::Visits, "Оплачено бонусами", Field::bonus_paid},
      {FileKind::Visits, "Номенклатура", Field::service},
      {FileKind::Visits, "Группа услуг", Field::service_category},
      {FileKind::Visits, "Сотрудник", Field::doctor},
      {FileKind::Visits, "Подразделение", Field::branch},
      {FileKind::Visits, "Состояние", Field::status},
      {FileKind::Visits, "Кто рекомендовал", Field::referrer_id},
      {FileKind::Adjustments, "Дата", Field::date},
      {FileKind::Adjustments, "Код пациента", Field::patient_id},
      {FileKind::Adjustments, "Сумма", Field::amount},
      {FileKind::Adjustments, "Комментарий", Field::note},
      {FileKind::Adjustments, "Примечание", Field::note},
  };
  for (const auto& c : cases) {
    std::string title = c.title;
    CAPTURE(title);
    CAPTURE(static_cast<int>(c.kind));
    CHECK(field_of(c.kind, c.title) == c.field);
    CHECK(rank_of(c.kind, c.title) > 0);  // only canonical names are rank 0
  }
  // Each kind knows only its own headers.
  CHECK_FALSE(field_of(FileKind::Patients, "Услуга").has_value());
  CHECK_FALSE(field_of(FileKind::Patients, "Сумма").has_value());
  CHECK_FALSE(field_of(FileKind::Visits, "Пол").has_value());
  CHECK_FALSE(field_of(FileKind::Visits, "Пациент").has_value());  // a name header of patients only
  CHECK_FALSE(field_of(FileKind::Adjustments, "Услуга").has_value());
  CHECK_FALSE(field_of(FileKind::Patients, "Любимый цвет").has_value());
  CHECK_FALSE(field_of(FileKind::Patients, "").has_value());
}

TEST_CASE("columns: match_header ranks follow §2.3's listed order") {
  // id: Номер карты, № карты, …, Карта, Код пациента, Код — earlier is better.
  CHECK(rank_of(FileKind::Patients, "Номер карты") < rank_of(FileKind::Patients, "№ карты"));
  CHECK(rank_of(FileKind::Patients, "Карта") < rank_of(FileKind::Patients, "Код пациента"));
  CHECK(rank_of(FileKind::Patients, "Код пациента") < rank_of(FileKind::Patients, "Код"));
  // date: Дата before Дата визита before Дата приема; Дата приёма folds to Дата приема.
  CHECK(rank_of(FileKind::Visits, "Дата") < rank_of(FileKind::Visits, "Дата визита"));
  CHECK(rank_of(FileKind::Visits, "Дата визита") < rank_of(FileKind::Visits, "Дата приёма"));
  CHECK(rank_of(FileKind::Visits, "Дата приёма") == rank_of(FileKind::Visits, "Дата приема"));
  // phone: Телефон first, Моб. телефон last.
  CHECK(rank_of(FileKind::Patients, "Телефон") < rank_of(FileKind::Patients, "Моб. телефон"));
}

TEST_CASE("columns: map_columns binds canonical names and aliases; others in file order") {
  std::vector<std::string> h = {"Любимый цвет", "Номер карты", "ФИО",
                                "Моб. телефон", "Рост",        "Дата рождения"};
  ColumnMap m = map_columns(FileKind::Patients, h, {}, "patients.csv");
  CHECK(m[Field::id] == 1);
  CHECK(m[Field::name] == 2);
  CHECK(m[Field::phone] == 3);
  CHECK(m[Field::birth_date] == 5);
  CHECK_FALSE(m.has(Field::gender));
  CHECK(m[Field::gender] == ColumnMap::kAbsent);
  CHECK(m.others == std::vector<int>{0, 4});
  CHECK(m.notes.empty());  // every field matched once
}

TEST_CASE("columns: map_columns first-listed alias wins regardless of column order") {
  // "Код" is listed after "Номер карты" for id; it stands left of it in the file.
  std::vector<std::string> h = {"Код", "Номер карты", "ФИО"};
  ColumnMap m = map_columns(FileKind::Patients, h, {}, "patients.csv");
  CHECK(m[Field::id] == 1);
  CHECK(m.others == std::vector<int>{0});  // the loser stays an other column
  REQUIRE(m.notes.size() == 1);
  CHECK(has_text(m.notes[0], "patients.csv"));
  CHECK(has_text(m.notes[0], "Номер карты"));
  CHECK(has_text(m.notes[0], "Код"));

  // The canonical English name beats every alias.
  h = {"Номер карты", "ID"};
  m = map_columns(FileKind::Patients, h, {}, "p.csv");
  CHECK(m[Field::id] == 1);
  CHECK(m.others == std::vector<int>{0});
  CHECK(m.notes.size() == 1);

  // Visits: "Дата визита" (left) loses to "Дата"; "Сумма оплаты" loses to "Оплачено".
  h = {"Дата визита", "Сумма оплаты", "Номер карты", "Дата", "Оплачено"};
  m = map_columns(FileKind::Visits, h, {}, "visits.csv");
  CHECK(m[Field::date] == 3);
  CHECK(m[Field::amount] == 4);
  CHECK(m[Field::patient_id] == 2);
  CHECK(m.others == std::vector<int>{0, 1});
  CHECK(m.notes.size() == 2);
}

TEST_CASE("columns: map_columns several phone headers are all read, in §2.3 order (§8.45)") {
  // §2.3 lists phone, Телефон, Мобильный телефон, Телефон мобильный, Сотовый, Моб. телефон.
  std::vector<std::string> h = {"Моб. телефон", "id", "Сотовый", "Телефон", "Рост"};
  ColumnMap m = map_columns(FileKind::Patients, h, {}, "p.csv");
  CHECK(m[Field::phone] == 3);
  CHECK(m.phones == std::vector<int>{3, 2, 0});
  CHECK(m.others == std::vector<int>{4});
  REQUIRE(m.notes.size() == 1);  // the note names every column read
  CHECK(has_text(m.notes[0],
                 "p.csv: field phone read from columns \"Телефон\", \"Сотовый\", "
                 "\"Моб. телефон\""));
  // One phone column: no note, phones holds it.
  m = map_columns(FileKind::Patients, {"id", "Сотовый"}, {}, "p.csv");
  CHECK(m.phones == std::vector<int>{1});
  CHECK(m.notes.empty());
  // --col phone=HEADER: that column only; the other matching header is an other column.
  m = map_columns(FileKind::Patients, h, {{Field::phone, "Сотовый"}}, "p.csv");
  CHECK(m.phones == std::vector<int>{2});
  CHECK(m.others == std::vector<int>{0, 3, 4});
  // No phone column at all.
  m = map_columns(FileKind::Patients, {"id"}, {}, "p.csv");
  CHECK(m.phones.empty());
}

TEST_CASE("columns: map_columns two equal headers → the leftmost") {
  std::vector<std::string> h = {"id", "Телефон", "телефон", "Телефон"};
  ColumnMap m = map_columns(FileKind::Patients, h, {}, "p.csv");
  CHECK(m[Field::phone] == 1);
  CHECK(m.phones == std::vector<int>{1});  // equal titles are not several phone columns
  CHECK(m.others == std::vector<int>{2, 3});
  // Equal after normalisation (`ё`, separators) is equal.
  h = {"Номер карты", "Дата приёма", "Дата_приема"};
  m = map_columns(FileKind::Visits, h, {}, "v.csv");
  CHECK(m[Field::date] == 1);
  CHECK(m.others == std::vector<int>{2});
}

TEST_CASE("columns: map_columns --col override wins") {
  // Without the override "Телефон" (rank 1) is the phone; --col phone=Моб тел takes column 3.
  std::vector<std::string> h = {"id", "ФИО", "Телефон", "Моб тел"};
  std::vector<ColOverride> o = {{Field::phone, "моб_тел"}};  // matched after normalisation
  ColumnMap m = map_columns(FileKind::Patients, h, o, "p.csv");
  CHECK(m[Field::phone] == 3);
  CHECK(m.others == std::vector<int>{2});  // the loser stays available under its own title

  // The override beats even the canonical name.
  h = {"id", "Карта", "name"};
  o = {{Field::id, "Карта"}};
  m = map_columns(FileKind::Patients, h, o, "p.csv");
  CHECK(m[Field::id] == 1);
  CHECK(m[Field::name] == 2);
  CHECK(m.others == std::vector<int>{0});

  // An override can bind a column that would otherwise mean another field; that field then
  // looks for another column.
  h = {"Номер карты", "Код", "ФИО"};
  o = {{Field::name, "Код"}};
  m = map_columns(FileKind::Patients, h, o, "p.csv");
  CHECK(m[Field::name] == 1);
  CHECK(m[Field::id] == 0);
  CHECK(m.others == std::vector<int>{2});

  // An override whose FIELD is not of this kind, or whose HEADER is absent, changes nothing.
  h = {"id", "Услуга", "Телефон"};
  o = {{Field::service, "Телефон"}, {Field::email, "Почта"}};
  m = map_columns(FileKind::Patients, h, o, "p.csv");
  CHECK(m[Field::phone] == 2);
  CHECK_FALSE(m.has(Field::email));
  CHECK(m.others == std::vector<int>{1});

  // override_applies: FIELD of this kind and HEADER among the titles (after §8.6).
  CHECK(override_applies(FileKind::Patients, {"id", "Моб тел"}, {Field::phone, "МОБ-ТЕЛ"}));
  CHECK_FALSE(override_applies(FileKind::Patients, {"id", "Моб тел"}, {Field::phone, "тел"}));
  CHECK_FALSE(override_applies(FileKind::Visits, {"id", "Моб тел"}, {Field::phone, "Моб тел"}));
  CHECK(override_applies(FileKind::Visits, {"Карта", "Когда"}, {Field::date, "когда"}));
}

TEST_CASE("columns: require names field, file, headers seen and --col") {
  std::vector<std::string> h = {"ФИО", "Телефон"};
  ColumnMap m = map_columns(FileKind::Patients, h, {}, "clients.csv");
  CHECK_NOTHROW(require(m, Field::name, h, "clients.csv", FileKind::Patients));
  std::string msg;
  try {
    require(m, Field::id, h, "clients.csv", FileKind::Patients);
    FAIL("require did not throw");
  } catch (const InputError& e) {
    msg = e.what();
  }
  CHECK(has_text(msg, "clients.csv"));
  CHECK(has_text(msg, "id"));
  CHECK(has_text(msg, "ФИО"));
  CHECK(has_text(msg, "Телефон"));
  CHECK(has_text(msg, "--col id="));
  CHECK(msg.find('\n') == std::string::npos);  // one line

  h = {"Номер карты", "Сумма"};
  m = map_columns(FileKind::Visits, h, {}, "visits.csv");
  try {
    require(m, Field::date, h, "visits.csv", FileKind::Visits);
    FAIL("require did not throw");
  } catch (const InputError& e) {
    msg = e.what();
  }
  CHECK(has_text(msg, "visits.csv"));
  CHECK(has_text(msg, "date"));
  CHECK(has_text(msg, "Номер карты"));
  CHECK(has_text(msg, "--col date=HEADER"));  // no column looks like a date: the template
}

TEST_CASE("columns: col_suggestion names the one likely column (§8.44)") {
  // Adjustments: date has the words date, дата, визита, приема, оказания (§2.3, §8.33); of the
  // unbound columns only "Дата операции" shares one ("дата"). Spaces → quoted for the shell.
  std::vector<std::string> h = {"Дата операции", "Номер карты", "Сумма", "Комментарий"};
  ColumnMap m = map_columns(FileKind::Adjustments, h, {}, "adj.csv");
  CHECK_FALSE(m.has(Field::date));
  CHECK(col_suggestion(Field::date, FileKind::Adjustments, h, &m) ==
        "--col date=\"Дата операции\"");
  std::string msg;
  try {
    require(m, Field::date, h, "adj.csv", FileKind::Adjustments);
  } catch (const InputError& e) {
    msg = e.what();
  }
  CHECK(has_text(msg, "adj.csv: required column date not found"));
  CHECK(has_text(msg, "name it with --col date=\"Дата операции\""));
  // A list whose card column is "Номер" (a word of "Номер карты"): one plain word, no quotes.
  h = {"Номер", "ФИО"};
  CHECK(col_suggestion(Field::id, FileKind::List, h, nullptr) == "--col id=Номер");
  // Two likely columns, or none: the template.
  h = {"Дата операции", "Дата ввода"};
  CHECK(col_suggestion(Field::date, FileKind::Adjustments, h, nullptr) == "--col date=HEADER");
  h = {"Когда", "Кто"};
  CHECK(col_suggestion(Field::date, FileKind::Visits, h, nullptr) == "--col date=HEADER");
  // A column already bound to another field is not suggested ("Оплачено бонусами" = bonus_paid
  // shares "оплачено" with amount's headers).
  h = {"Номер карты", "Дата", "Оплачено бонусами"};
  m = map_columns(FileKind::Visits, h, {}, "v.csv");
  CHECK(col_suggestion(Field::amount, FileKind::Visits, h, &m) == "--col amount=HEADER");
  // Shell characters are escaped inside the quotes.
  h = {"Сумма \"$\""};
  CHECK(col_suggestion(Field::amount, FileKind::Visits, h, nullptr) ==
        "--col amount=\"Сумма \\\"\\$\\\"\"");
}

TEST_CASE("columns: ColUsage — an override is an error only when no input had it (§8.44)") {
  std::vector<ColOverride> cols = {{Field::date, "Дата операции"}, {Field::id, "Номер"}};
  ColUsage u;
  u.offer(FileKind::Patients, {"Номер карты", "ФИО"}, "p.csv", cols);
  u.offer(FileKind::Visits, {"Номер карты", "Дата", "Сумма"}, "v.csv", cols);
  u.offer(FileKind::Adjustments, {"Дата операции", "Номер карты", "Сумма"}, "adj.csv", cols);
  std::string msg;
  try {
    u.check(cols);  // id=Номер: no input had it yet
  } catch (const InputError& e) {
    msg = e.what();
  }
  CHECK(msg ==
        "--col id=Номер: no input with a id field has a column \"Номер\" (inputs read: "
        "p.csv, v.csv, adj.csv)");
  // The list has it: fine. A FIELD the file lacks does not count (date in a list).
  u.offer(FileKind::List, {"Номер", "Дата операции"}, "list.csv", cols);
  CHECK_NOTHROW(u.check(cols));
  ColUsage v;
  v.offer(FileKind::List, {"Номер", "Дата операции"}, "list.csv", {{Field::date, "Дата операции"}});
  CHECK_THROWS_AS(v.check({{Field::date, "Дата операции"}}), InputError);
  // Lists have id and phone (§8.44, §8.53).
  CHECK(kind_has_field(FileKind::List, Field::id));
  CHECK(kind_has_field(FileKind::List, Field::phone));
  CHECK_FALSE(kind_has_field(FileKind::List, Field::name));
  CHECK(match_header(FileKind::List, "Номер карты")->field == Field::id);
  CHECK(match_header(FileKind::List, "Сотовый")->field == Field::phone);
}
