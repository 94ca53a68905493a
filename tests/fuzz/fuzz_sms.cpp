// Fuzz harness: SMS templates and segment counting (SPEC §6.6, §8.36, §8.37). The input is a
// template, optionally followed by a NUL and a value text given to every placeholder. Invariants:
// only UsageError escapes parse; sms_size never reports fewer than 1 segment, agrees with the
// single-part limits, and a part count never exceeds what the packing bound allows.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.h"
#include "rules/sms.h"

namespace {

using namespace kartoteka;

void check_size(std::string_view text) {
  const SmsSize s = sms_size(text);
  if (s.segments < 1) std::abort();
  if (s.encoding == SmsEncoding::Gsm7) {
    if ((s.length <= 160) != (s.segments == 1)) std::abort();
    // Each part carries at least 152 septets (153, less one when an escape pair would split).
    if (s.segments > 1 && uint64_t{s.segments - 1} * 152 >= s.length) std::abort();
  } else {
    if ((s.length <= 70) != (s.segments == 1)) std::abort();
    if (s.segments > 1 && uint64_t{s.segments - 1} * 66 >= s.length) std::abort();
  }
  if (s.length > text.size() * 2 + 2) std::abort();  // at most 2 septets / units per byte
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nul = in.find('\0');
  const std::string_view text = in.substr(0, nul);
  const std::string_view value = nul == std::string_view::npos ? "" : in.substr(nul + 1);

  check_size(in);
  for (size_t i = 0; i < in.size() && i < 64; ++i) (void)gsm7_septets(static_cast<uint8_t>(in[i]));
  if (size >= 4) {
    char32_t c = static_cast<char32_t>(data[0]) | static_cast<char32_t>(data[1]) << 8 |
                 static_cast<char32_t>(data[2]) << 16 | static_cast<char32_t>(data[3]) << 24;
    const int n = gsm7_septets(c);
    if (n < 0 || n > 2) std::abort();
  }

  try {
    const SmsTemplate t = SmsTemplate::parse(text);
    std::vector<std::string> values(t.fields().size(), std::string(value));
    const std::string out = t.render(values);
    check_size(out);
    SmsDispatcher d(size % 2 == 0, static_cast<uint32_t>(size % 4));
    for (int i = 0; i < 3; ++i) {
      auto o = d.offer(i == 2 ? "" : "+79123456789", i != 1, [&] { return out; });
      if (i == 2 && o.skip != SmsSkip::NoPhone) std::abort();
    }
    (void)sms_summary(d);
  } catch (const UsageError&) {
  }
  return 0;
}
