// base/key_index.h: keys looked up in place; of two items with one key the lower number wins.
// Expected item numbers follow from how the keys below are built (by hand, not by the index).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "base/key_index.h"

using namespace kartoteka;

TEST_CASE("key index: finds each key's first item, kNone for an absent key") {
  const std::vector<std::string> keys = {"7", "12", "", "7", "x"};
  const KeyIndex index(static_cast<uint32_t>(keys.size()),
                       [&](uint32_t i) { return std::string_view(keys[i]); });
  CHECK(index.find("7") == 0);  // items 0 and 3 share it: the first
  CHECK(index.find("12") == 1);
  CHECK(index.find("") == 2);
  CHECK(index.find("x") == 4);
  CHECK(index.find("8") == index.kNone);
  CHECK(index.find("07") == index.kNone);  // no normalising: that is the caller's key function
}

TEST_CASE("key index: many items, more than the look-ahead, every key found") {
  // Item i holds key "k" + (i % 1000): keys repeat every 1000 items, so key k's first item is
  // k itself; 3000 items run the look-ahead ring around many times.
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back("k" + std::to_string(i % 1000));
  const KeyIndex index(3000u, [&](uint32_t i) { return std::string_view(keys[i]); });
  for (uint32_t k = 0; k < 1000; ++k) CHECK(index.find("k" + std::to_string(k)) == k);
  CHECK(index.find("k1000") == index.kNone);
}

TEST_CASE("key index: no items") {
  const KeyIndex index(0u, [](uint32_t) { return std::string_view("never"); });
  CHECK(index.find("") == index.kNone);
  CHECK(index.find("never") == index.kNone);
}
