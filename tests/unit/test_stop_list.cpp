// Stop lists (`sms --exclude`, SPEC §6.6, §8.53): the matching (rules/stop_list.h) and the shapes
// the reader accepts (io/stop_list.h). Lists are small temp files; expectations are by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "io/stop_list.h"
#include "memory_input.h"
#include "model/errors.h"

using namespace kartoteka;
using kartoteka::test::MemoryInput;

namespace {

StopList read(const std::string& content, const std::vector<ColOverride>& cols = {}) {
  MemoryInput f(content);
  Diagnostics diag(true, false);
  StopList s;
  read_stop_list(f, cols, s, diag);
  return s;
}

bool input_error(const std::string& content) {
  MemoryInput f(content);
  Diagnostics diag(true, false);
  StopList s;
  try {
    read_stop_list(f, {}, s, diag);
  } catch (const InputError&) {
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("StopList: ids exactly after trimming, any of the patient's numbers") {
  StopList s;
  s.add_id(" 000123 ");
  s.add_phone("+79161112233");
  CHECK(s.excludes("000123", ""));
  CHECK_FALSE(s.excludes("123", ""));  // exact, not numeric (§8.13)
  CHECK(s.excludes("7", "+74950000000;+79161112233"));
  CHECK_FALSE(s.excludes("7", "+74950000000;+7916111223"));
  CHECK_FALSE(s.excludes("7", ""));
  // The cells as the patients file writes them (PText::phones): each number normalised.
  CHECK(s.excludes("7", "+7 495 000-00-00;8 (916) 111-22-33, 12345"));
  CHECK_FALSE(s.excludes("7", "8 (916) 111-22-34"));
  s.add_id("");  // lists nobody
  CHECK_FALSE(s.excludes("", ""));
}

TEST_CASE("stop list: csv with Russian headers in cp1251 and `;`; every phone column") {
  // "Номер карты;Телефон;Сотовый" in Windows-1251.
  const std::string header =
      "\xCD\xEE\xEC\xE5\xF0 \xEA\xE0\xF0\xF2\xFB;\xD2\xE5\xEB\xE5\xF4\xEE\xED;"
      "\xD1\xEE\xF2\xEE\xE2\xFB\xE9\r\n";
  StopList s = read(header + "000123;8 (916) 111-22-33, 9031112233;+7 495 000-00-01\r\n;;\r\n");
  CHECK(s.ids() == 1);
  CHECK(s.phones() == 3);
  CHECK(s.excludes("000123", ""));
  CHECK(s.excludes("x", "+79161112233"));
  CHECK(s.excludes("x", "+79031112233"));  // the second number of the cell
  CHECK(s.excludes("x", "+74950000001"));  // the second phone column
}

TEST_CASE("stop list: a bare list of phones, the first line included") {
  StopList s = read("+7 916 111-22-33\n\n89031112233\n9251112233; 8 495 000 00 01\n");
  CHECK(s.phones() == 4);
  CHECK(s.excludes("", "+79161112233"));
  CHECK(s.excludes("", "+74950000001"));
  CHECK(s.ids() == 0);
  // A BOM and excel `="…"` cells.
  StopList b = read("\xEF\xBB\xBF=\"+79161112233\"\n");
  CHECK(b.excludes("", "+79161112233"));
}

TEST_CASE("stop list: an id list; unusable numbers are ignored") {
  StopList ids = read("id\n101\n=\"000123\"\n");
  CHECK(ids.ids() == 2);
  CHECK(ids.excludes("000123", ""));
  CHECK(ids.phones() == 0);
  // `12345` and `STOP` are not phones (warned, ignored); the list still counts.
  StopList p = read("phone,comment\n12345,a\n+79161112233,b\nSTOP,c\n");
  CHECK(p.phones() == 1);
  // new_id / referrer_id are not id columns; with another column that is no header → error.
  CHECK(input_error("new_id,referrer_id\n101,77\n"));
  CHECK(input_error("name,comment\nАнна,a\n"));
  CHECK(input_error(""));  // an empty file (a failed export) is no stop list
  CHECK(input_error("\n\n  \n"));
}

TEST_CASE("stop list: --col names the phone and id columns") {
  StopList s = read("Номер;Клиент\n8 916 111 22 33;A-15\n",
                    {{Field::phone, "номер"}, {Field::id, "Клиент"}});
  CHECK(s.excludes("", "+79161112233"));
  CHECK(s.excludes("A-15", ""));
  // --col phone= reads that column only, not the other recognised phone columns.
  StopList one =
      read("phone,Моб. телефон\n+79161112233,+79031112233\n", {{Field::phone, "Моб телефон"}});
  CHECK(one.phones() == 1);
  CHECK(one.excludes("", "+79031112233"));
}

namespace {

// The InputError's text reading `content`, or "" when it reads.
std::string input_error_text(const std::string& content) {
  MemoryInput f(content);
  Diagnostics diag(true, false);
  StopList s;
  try {
    read_stop_list(f, {}, s, diag);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("stop list: jsonl (§8.53), its keys the columns") {
  // A BOM, a blank line, a phone as a JSON number, a cell of two numbers, an excel-wrapped id,
  // null (an empty cell: lists nobody), a key the first object lacks.
  StopList s = read(
      "\xEF\xBB\xBF{\"id\":\"000123\",\"phone\":\"8 (916) 111-22-33\",\"comment\":\"STOP\"}\n"
      "\n"
      "{\"phone\":79031112233,\"id\":null}\r\n"
      "{\"id\":\"=\\\"A-15\\\"\",\"phone\":\"9251112233; 8 495 000 00 01\"}\n"
      "{\"Телефон\":\"+7 926 111-22-33\"}\n");
  // ids: 000123, A-15 (null and the missing key are empty cells: not listed) → 2.
  CHECK(s.ids() == 2);
  CHECK(s.excludes("000123", ""));
  CHECK(s.excludes("A-15", ""));
  CHECK_FALSE(s.excludes("", ""));
  // phones: +79161112233, +79031112233, +79251112233, +74950000001 (phone); +79261112233
  // (Телефон, a second recognised phone column, §8.45) → 5.
  CHECK(s.phones() == 5);
  CHECK(s.excludes("x", "+79031112233"));
  CHECK(s.excludes("x", "+74950000001"));
  CHECK(s.excludes("x", "+79261112233"));
  // --col names a jsonl key as it names a csv column.
  StopList c = read("{\"Номер\":\"89161112233\",\"Клиент\":\"7\"}\n",
                    {{Field::phone, "Номер"}, {Field::id, "клиент"}});
  CHECK(c.excludes("", "+79161112233"));
  CHECK(c.excludes("7", ""));
}

TEST_CASE("stop list: jsonl errors name the line; one unknown key is no bare list") {
  // Line 2's value is an array: not a scalar (§6.9) → the run stops, naming line 2.
  const std::string arr =
      input_error_text("{\"phone\":\"+79161112233\"}\n{\"phone\":[\"+7916\"]}\n");
  CHECK(arr.find(":2:") != std::string::npos);
  CHECK(arr.find("cannot be read stops the run") != std::string::npos);
  CHECK(input_error_text("{\"id\":{\"a\":1}}\n").find(":1:") != std::string::npos);
  // A csv line of one unknown field starts a bare list; a jsonl key is always a title.
  CHECK(input_error_text("{\"номер\":\"89161112233\"}\n").find("neither a phone nor an id") !=
        std::string::npos);
}

TEST_CASE("stop list: its header is offered to the --col usage record (§8.44)") {
  const std::vector<ColOverride> cols{{Field::phone, "Номер"}, {Field::id, "Карта"}};
  ColUsage usage;
  // Patients and visits without either column: both overrides unused so far.
  usage.offer(FileKind::Patients, {"id", "phone"}, "patients.csv", cols);
  usage.offer(FileKind::Visits, {"patient_id", "date", "amount"}, "visits.csv", cols);
  CHECK_THROWS_AS(usage.check(cols), InputError);
  MemoryInput f("Номер;Карта\n8 916 111 22 33;A-15\n");
  Diagnostics diag(true, false);
  StopList s;
  read_stop_list(f, cols, s, diag, &usage);
  CHECK_NOTHROW(usage.check(cols));
  CHECK(s.excludes("A-15", ""));
  CHECK(s.excludes("", "+79161112233"));
  // A --col no input has is still an error, naming the stop list among the inputs read.
  const std::vector<ColOverride> other{{Field::phone, "Мобильный"}};
  ColUsage none;
  MemoryInput g("phone\n+79161112233\n");
  StopList t;
  read_stop_list(g, other, t, diag, &none);
  try {
    none.check(other);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find(g.path) != std::string::npos);
  }
}
