// model/text.h unexcel: an `excel` cell read back (expected values by hand).
#include <doctest/doctest.h>

#include "model/text.h"

using namespace kartoteka;

TEST_CASE("unexcel: =\"…\" reads as its inner text, anything else as it is") {
  CHECK(unexcel("=\"000123\"") == "000123");
  CHECK(unexcel("=\"+79161234567\"") == "+79161234567");
  CHECK(unexcel("=\"\"") == "");
  CHECK(unexcel("000123") == "000123");
  CHECK(unexcel("=\"") == "=\"");
  CHECK(unexcel("=123") == "=123");
}
