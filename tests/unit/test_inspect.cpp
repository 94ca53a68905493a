// inspect (SPEC §6.8, §8.62): column roles, personal titles, line endings and the per-file
// report. Inputs are small temp files; every count is worked out by hand from the bytes written.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "io/inspect.h"
#include "io/line_endings.h"
#include "memory_input.h"
#include "model/errors.h"

using namespace kartoteka;
using kartoteka::test::MemoryInput;

namespace {

using Strings = std::vector<std::string>;
using Rows = std::vector<Strings>;

Strings fields(const std::vector<ColumnRole>& roles) {
  Strings out;
  for (const auto& r : roles) out.push_back(r.field);
  return out;
}

}  // namespace

TEST_CASE("inspect: LineEndings counts CRLF, LF and lone CR across chunks") {
  LineEndings e;
  e.feed("a\r");
  e.feed("\nb\nc\rd\r");  // the first CR and this LF are one CRLF; "\rd" a lone CR
  e.finish();             // the last CR is lone too
  CHECK(e.crlf() == 1);
  CHECK(e.lf() == 1);
  CHECK(e.cr() == 2);
  CHECK(e.describe() == "mixed (1 CRLF, 1 LF, 2 CR)");
  LineEndings only;
  only.feed("a\r\nb\r\n");
  only.finish();
  CHECK(only.describe() == "CRLF");
  LineEndings none;
  none.feed("one line");
  none.finish();
  CHECK(none.describe() == "none");
  // Line breaks inside a quoted field are not line ends; a `""` escape keeps the quote open.
  LineEndings quoted;
  quoted.feed("id;note\r\n1;\"a\nb\"\"\r\nc\"\r\n2;x\r\n");
  quoted.finish();
  CHECK(quoted.describe() == "CRLF");
  CHECK(quoted.crlf() == 3);
  LineEndings crcr;
  crcr.feed("\r\r");
  crcr.finish();
  CHECK(crcr.describe() == "CR");
  CHECK(crcr.cr() == 2);
}

TEST_CASE("inspect: personal_title — names, phones, e-mails, birth dates, needs") {
  for (const char* t : {"ФИО", "name", "referrer_name", "new_name", "Фамилия", "Имя пациента",
                        "Сотовый", "Моб. телефон", "E-mail", "Эл. почта", "Дата рождения", "Жалоба",
                        "first_name", "Телефон родителя", "referrer_phone", "text", "sms_text"})
    CHECK_MESSAGE(personal_title(t), t);
  for (const char* t : {"id", "Номер карты", "Район", "Город", "visits", "spent", "Источник",
                        "Дата", "Комментарий"})
    CHECK_MESSAGE(!personal_title(t), t);
}

TEST_CASE("inspect: column_roles — fields, extras, ignored headers, --col, lists") {
  // Patients: Код loses to Номер карты (id); two phone headers are both read (§8.45); Рост is
  // kept as an extra column.
  Strings h = {"Код", "Номер карты", "ФИО", "Телефон", "Сотовый", "Рост", "Согласие на SMS"};
  auto roles = column_roles(InspectKind::Patients, h, {});
  CHECK(fields(roles) == Strings{"ignored: id read from \"Номер карты\"", "id", "name", "phone",
                                 "phone", "-", "sms_consent"});
  CHECK(roles[1].check == CellCheck::PatientId);
  CHECK(roles[3].check == CellCheck::Phone);
  CHECK(roles[6].check == CellCheck::Bool);
  CHECK(roles[2].personal);
  CHECK(roles[3].personal);
  CHECK_FALSE(roles[1].personal);
  CHECK_FALSE(roles[5].personal);
  // --col phone=Сотовый: Телефон is passed over.
  roles = column_roles(InspectKind::Patients, h, {{Field::phone, "Сотовый"}});
  CHECK(roles[3].field == "ignored: phone read from \"Сотовый\"");
  CHECK(roles[4].field == "phone");
  // Visits: the typed fields and what is required.
  h = {"Номер карты", "Дата", "Сумма", "Статус", "Дата визита", "Врач"};
  roles = column_roles(InspectKind::Visits, h, {});
  CHECK(fields(roles) == Strings{"patient_id", "date", "amount", "status",
                                 "ignored: date read from \"Дата\"", "doctor"});
  CHECK(roles[0].check == CellCheck::Required);
  CHECK(roles[1].check == CellCheck::RequiredDate);
  CHECK(roles[2].check == CellCheck::Money);
  CHECK(roles[3].check == CellCheck::Status);
  // Adjustments with --col date="Дата операции" (§8.44).
  h = {"Дата операции", "Номер карты", "Сумма", "Комментарий"};
  CHECK(fields(column_roles(InspectKind::Adjustments, h, {})) ==
        Strings{"-", "patient_id", "amount", "note"});
  CHECK(fields(column_roles(InspectKind::Adjustments, h, {{Field::date, "Дата операции"}})) ==
        Strings{"date", "patient_id", "amount", "note"});
  // --from lists: the key (id, else new_id, else referrer_id); phones travel like any column.
  CHECK(fields(column_roles(InspectKind::From, {"new_id", "referrer_id", "phone"}, {})) ==
        Strings{"id", "-", "-"});
  CHECK(fields(column_roles(InspectKind::From, {"referrer_id", "x"}, {})) == Strings{"id", "-"});
  CHECK(fields(column_roles(InspectKind::From, {"Номер", "x"}, {{Field::id, "Номер"}})) ==
        Strings{"id", "-"});
  // --exclude lists: id and every phone header (§8.53).
  CHECK(fields(column_roles(InspectKind::Exclude, {"Телефон", "Сотовый", "id", "new_id"}, {})) ==
        Strings{"phone", "phone", "id", "-"});
  // A bare stop list: one field that is no header → its one column is phones (§8.53).
  CHECK(fields(column_roles(InspectKind::Exclude, {"+79160000001"}, {})) == Strings{"phone"});
  CHECK(fields(column_roles(InspectKind::From, {"+79160000001"}, {})) == Strings{"-"});
  CHECK(fields(column_roles(InspectKind::Exclude, {"Сотовый"}, {})) == Strings{"phone"});
}

TEST_CASE("inspect: inspect_file on a 1C-style patients export (cp1251, ';', CRLF)") {
  // Номер карты;ФИО;Телефон;Дата рождения;Согласие на SMS;Район in cp1251:
  //   001;Анна;8 916 000-00-01;31.02.1990;Да;Центр     → bad birth date
  //   002;Борис;мусор;;может;                          → unusable phone, bad boolean
  //   002;Вера;;01.01.1990;;Центр                      → a repeated card number (bad id)
  //   003;"Г;1;2                                       → broken (unterminated quote), not counted
  std::string utf8 =
      "Номер карты;ФИО;Телефон;Дата рождения;Согласие на SMS;Район\r\n"
      "001;Анна;8 916 000-00-01;31.02.1990;Да;Центр\r\n"
      "002;Борис;мусор;;может;\r\n"
      "002;Вера;;01.01.1990;;Центр\r\n";
  // cp1251 bytes for the Cyrillic letters used (А=0xC0 … я=0xFF, Ё/ё unused).
  std::string cp;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      cp += utf8[i++];
      continue;
    }
    const unsigned cpnt = (c & 0x1Fu) << 6 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
    cp += static_cast<char>(cpnt - 0x410 + 0xC0);
    i += 2;
  }
  cp += "003;\"\xC3;1;2\r\n";
  MemoryInput f(cp);
  FileReport r = inspect_file(f, InspectKind::Patients, {});
  CHECK(r.encoding == "cp1251 (Windows-1251)");
  CHECK(r.delimiter == "';'");
  CHECK(r.line_endings == "CRLF");
  CHECK(r.rows == 4);
  CHECK(r.broken == 1);
  CHECK(r.first_broken == "line 5: unterminated quoted field");
  CHECK(describe_file(r) ==
        f.path +
            ": encoding cp1251 (Windows-1251), delimiter ';', line endings CRLF, 4 data rows; "
            "1 broken rows not counted (first: line 5: unterminated quoted "
            "field)");
  CHECK(report_rows(r) == Rows{{f.path, "1", "Номер карты", "id", "3", "1", "001"},
                               {f.path, "2", "ФИО", "name", "3", "0", ""},
                               {f.path, "3", "Телефон", "phone", "2", "1", ""},
                               {f.path, "4", "Дата рождения", "birth_date", "2", "1", ""},
                               {f.path, "5", "Согласие на SMS", "sms_consent", "2", "1", "Да"},
                               {f.path, "6", "Район", "district", "2", "0", "Центр"}});
}

TEST_CASE("inspect: visits statuses (--status), required cells, a jsonl list") {
  MemoryInput v(
      "patient_id,date,amount,status\n"
      "1,2026-01-05,100,completed\n"
      ",2026-01-06,1 234,50,\n"  // 5 fields: broken
      ",,abc,в работе\n"         // empty patient_id and date, bad money, unknown status
      "2,05.01.2026,,\n");
  InspectSettings s;
  FileReport r = inspect_file(v, InspectKind::Visits, s);
  CHECK(r.rows == 4);
  CHECK(r.broken == 1);
  CHECK(r.encoding == "utf-8");
  CHECK(report_rows(r) == Rows{{v.path, "1", "patient_id", "patient_id", "2", "1", "1"},
                               {v.path, "2", "date", "date", "2", "1", "2026-01-05"},
                               {v.path, "3", "amount", "amount", "2", "1", "100"},
                               {v.path, "4", "status", "status", "2", "1", "completed"}});
  s.statuses.teach("в работе", Status::Planned);
  CHECK(inspect_file(v, InspectKind::Visits, s).columns[3].bad == 0);

  // jsonl: a BOM, a bad line (an array) counted as broken; keys in first-seen order.
  MemoryInput j("\xEF\xBB\xBF{\"id\":\"1\",\"name\":\"Анна\"}\n{\"id\":[1]}\n\n{\"note\":\"x\"}\n");
  FileReport l = inspect_file(j, InspectKind::From, {});
  CHECK(l.encoding == "utf-8 with BOM");
  CHECK(l.delimiter == "none (jsonl)");
  CHECK(l.rows == 3);
  CHECK(l.broken == 1);
  CHECK(report_rows(l) == Rows{{j.path, "1", "id", "id", "1", "1", "1"},
                               {j.path, "2", "name", "-", "1", "0", ""},
                               {j.path, "3", "note", "-", "1", "0", "x"}});
  // A file that cannot be read at all is the one error.
  CHECK_THROWS_AS(inspect_file("/nonexistent/p.csv", InspectKind::Patients, {}), InputError);
  MemoryInput empty("\n\n");
  CHECK_THROWS_AS(inspect_file(empty, InspectKind::Patients, {}), InputError);
  const std::vector<Column> columns = inspect_output_columns();
  CHECK(column_titles(columns) ==
        Strings{"file", "column", "header", "field", "filled", "bad", "example"});
  // §8.51: `column filled bad` are integers; the rest text.
  for (size_t c : {1, 4, 5}) CHECK(columns[c].kind == ColumnKind::Integer);
  for (size_t c : {0, 2, 3, 6}) CHECK(columns[c].kind == ColumnKind::Text);
}

TEST_CASE("inspect: a missing required column is named with the --col that fixes it") {
  MemoryInput a("Дата операции;Номер карты;Сумма\n01.11.2026;001;500\n");
  FileReport r = inspect_file(a, InspectKind::Adjustments, {});
  CHECK(r.missing ==
        Strings{"required column date not found; name it with --col date=\"Дата операции\""});
  InspectSettings s;
  s.cols = {{Field::date, "Дата операции"}};
  CHECK(inspect_file(a, InspectKind::Adjustments, s).missing.empty());
  // A visits file without date and amount: both named (no likely column: the template).
  MemoryInput v("Номер карты,Когда\n1,x\n");
  CHECK(inspect_file(v, InspectKind::Visits, {}).missing ==
        Strings{"required column date not found; name it with --col date=HEADER",
                "required column amount not found; name it with --col amount=HEADER"});
  // A --from list whose card column is Номер.
  MemoryInput l("Номер,x\n1,2\n");
  CHECK(inspect_file(l, InspectKind::From, {}).missing ==
        Strings{"required column id not found; name it with --col id=Номер"});
}

TEST_CASE("inspect: a bare stop list counts its first line as a phone") {
  // 3 lines, all data: 2 usable numbers, 1 unusable.
  MemoryInput e("+79160000001\n8 916 000-00-02\nSTOP\n");
  FileReport r = inspect_file(e, InspectKind::Exclude, {});
  CHECK(r.rows == 3);
  CHECK(report_rows(r) == Rows{{e.path, "1", "+79160000001", "phone", "3", "1", ""}});
}
