#include <doctest/doctest.h>

#include "model/phone.h"

using namespace kartoteka;

TEST_CASE("normalize_phone: Russian numbers") {
  CHECK(normalize_phone("8 (922) 987-43-00") == "+79229874300");
  CHECK(normalize_phone("7(976)1264656") == "+79761264656");
  CHECK(normalize_phone("9161234567") == "+79161234567");
  CHECK(normalize_phone("89161234567") == "+79161234567");
  CHECK(normalize_phone("79161234567") == "+79161234567");
  CHECK(normalize_phone("+7 916 123-45-67") == "+79161234567");
  CHECK(normalize_phone("+7 (916) 123 45 67") == "+79161234567");
  CHECK(normalize_phone("8-495-123-45-67") == "+74951234567");       // landline: valid, not mobile
  CHECK(normalize_phone("tel. 8 916 123 45 67") == "+79161234567");  // only digits count
}

TEST_CASE("normalize_phone: international") {
  CHECK(normalize_phone("+44 20 7946 0958") == "+442079460958");
  CHECK(normalize_phone("+8912 345 67 89") == "+89123456789");  // kept as written, not 8→7
  CHECK(normalize_phone("+375 29 123-45-67") == "+375291234567");
  CHECK(normalize_phone("+12345678") == "+12345678");                // 8 digits: shortest
  CHECK(normalize_phone("+123456789012345") == "+123456789012345");  // 15 digits: longest
  CHECK(normalize_phone(" + 7 916 1234567") == "+79161234567");
}

TEST_CASE("normalize_phone: unusable") {
  CHECK(normalize_phone("") == "");
  CHECK(normalize_phone("нет") == "");
  CHECK(normalize_phone("+") == "");
  CHECK(normalize_phone("+1234567") == "");           // 7 digits
  CHECK(normalize_phone("+1234567890123456") == "");  // 16 digits
  CHECK(normalize_phone("123-45-67") == "");          // local, 7 digits
  CHECK(normalize_phone("8916123456") == "");         // 10 digits not starting with 9
  CHECK(normalize_phone("4951234567") == "");         // 10 digits, Moscow landline without 8
  CHECK(normalize_phone("99161234567") == "");        // 11 digits starting with 9
  CHECK(normalize_phone("891612345678") == "");       // 12 digits
  CHECK(normalize_phone("442079460958") == "");       // foreign without `+`
  // A `+` after the first digit does not count: 8+9161234567 is 11 digits starting 8.
  CHECK(normalize_phone("8+9161234567") == "+79161234567");
  CHECK(normalize_phone("4+4 20 7946 0958") == "");
}

TEST_CASE("is_russian_mobile") {
  CHECK(is_russian_mobile("+79161234567"));
  CHECK_FALSE(is_russian_mobile("+74951234567"));
  CHECK_FALSE(is_russian_mobile("+7916123456"));
  CHECK_FALSE(is_russian_mobile("+791612345678"));
  CHECK_FALSE(is_russian_mobile("79161234567"));
  CHECK_FALSE(is_russian_mobile("+89161234567"));
  CHECK_FALSE(is_russian_mobile("+7916123456x"));
  CHECK_FALSE(is_russian_mobile(""));
}

TEST_CASE("pick_phone") {
  bool unusable = true;
  CHECK(pick_phone("8 (922) 987-43-00", &unusable) == "+79229874300");
  CHECK_FALSE(unusable);
  // The first Russian mobile wins over an earlier landline or foreign number.
  CHECK(pick_phone("8-495-123-45-67, 8 916 123 45 67") == "+79161234567");
  CHECK(pick_phone("+44 20 7946 0958; 9161234567") == "+79161234567");
  CHECK(pick_phone("9161234567; 9167654321") == "+79161234567");
  // Without a mobile: the first valid one.
  CHECK(pick_phone("123, +44 20 7946 0958, 8-495-123-45-67", &unusable) == "+442079460958");
  CHECK_FALSE(unusable);
  CHECK(pick_phone("мама;8-495-123-45-67") == "+74951234567");
  CHECK(pick_phone(",,9161234567") == "+79161234567");
  // Nothing usable.
  CHECK(pick_phone("123-45-67", &unusable) == "");
  CHECK(unusable);
  CHECK(pick_phone("нет; нет", &unusable) == "");
  CHECK(unusable);
  CHECK(pick_phone("", &unusable) == "");
  CHECK_FALSE(unusable);  // an empty cell is just no phone
  CHECK(pick_phone("  ", &unusable) == "");
  CHECK_FALSE(unusable);
  CHECK(pick_phone("123") == "");  // unusable pointer is optional
}
