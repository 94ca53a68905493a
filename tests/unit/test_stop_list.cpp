// Stop lists (`sms --exclude`, SPEC §6.6, §8.53): the matching (rules/stop_list.h) and the shapes
// the reader accepts (io/stop_list.h). Lists are small temp files; expectations are by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "io/stop_list.h"
#include "model/errors.h"
#include "temp_file.h"

using namespace kartoteka;
using kartoteka::test::TempFile;

namespace {

StopList read(const std::string& content, const std::vector<ColOverride>& cols = {}) {
  TempFile f(content);
  Diagnostics diag(true, false);
  StopList s;
  read_stop_list(f.path, cols, s, diag);
  return s;
}

bool input_error(const std::string& content) {
  TempFile f(content);
  Diagnostics diag(true, false);
  StopList s;
  try {
    read_stop_list(f.path, {}, s, diag);
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
