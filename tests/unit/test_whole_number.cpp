// model/whole_number.h: the one whole-number parser of the options (expected values by hand).
#include <doctest/doctest.h>

#include "model/whole_number.h"

using namespace kartoteka;

TEST_CASE("whole number: digits only, within the option's limit") {
  CHECK(parse_whole_number("0", 6) == 0);
  CHECK(parse_whole_number("007", 6) == 7);
  CHECK(parse_whole_number("999999", 6) == 999999);
  CHECK_FALSE(parse_whole_number("1000000", 6));  // 7 digits
  CHECK(parse_whole_number("123456789", 9) == 123456789);
  CHECK_FALSE(parse_whole_number("", 9));
  CHECK_FALSE(parse_whole_number("-1", 9));
  CHECK_FALSE(parse_whole_number("+1", 9));
  CHECK_FALSE(parse_whole_number("1.5", 9));
  CHECK_FALSE(parse_whole_number(" 1", 9));
  CHECK_FALSE(parse_whole_number("1 ", 9));
  CHECK_FALSE(parse_whole_number("12a", 9));
}
