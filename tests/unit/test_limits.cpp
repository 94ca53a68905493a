// Hostile sizes that the command line cannot carry (SPEC §7): a 1 MiB SMS template. The CLI
// limits are golden cases (tests/cli/cases/limit-*).
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "model/errors.h"
#include "rules/sms.h"

using namespace kartoteka;

TEST_CASE("limits: a 1 MiB SMS template of plain text") {
  const std::string text(size_t{1} << 20, 'a');
  const auto t0 = std::chrono::steady_clock::now();
  const SmsTemplate t = SmsTemplate::parse(text);
  CHECK(t.fields().empty());
  const std::string out = t.render({});
  CHECK(out == text);
  const SmsSize s = sms_size(out);
  CHECK(s.encoding == SmsEncoding::Gsm7);
  CHECK(s.length == 1048576);
  CHECK(s.segments == 6854);  // 153 × 6853 = 1 048 509 < 1 048 576
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("limits: a 1 MiB SMS template of placeholders") {
  std::string text;
  for (int i = 0; i < 174762; ++i) text += "{name}";  // 1 048 572 bytes
  const SmsTemplate t = SmsTemplate::parse(text);
  REQUIRE(t.fields() == std::vector<std::string>{"name"});
  const std::string out = t.render({"Ё"});
  CHECK(out.size() == 174762 * 2);
  const SmsSize s = sms_size(out);
  CHECK(s.encoding == SmsEncoding::Ucs2);
  CHECK(s.length == 174762);
  CHECK(s.segments == 2609);  // 67 × 2608 = 174 736 < 174 762
}

TEST_CASE("limits: a 1 MiB template with an unclosed brace at the very end is a usage error") {
  std::string text(size_t{1} << 20, 'b');
  text.back() = '{';
  CHECK_THROWS_AS(SmsTemplate::parse(text), UsageError);
}
