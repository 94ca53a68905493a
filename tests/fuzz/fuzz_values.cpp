// Fuzz harness: every cell parser (SPEC §2.4, §2.5, §2.6, §8.8–§8.11) on arbitrary bytes.
// Invariants: no crash/UB; results are well-formed (money round-trips through format_money,
// a date formats as YYYY-MM-DD and parses back, a phone is E.164 or empty).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/date.h"
#include "model/money.h"
#include "model/phone.h"
#include "model/values.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kartoteka;
  const std::string_view cell(reinterpret_cast<const char*>(data), size);

  Day d;
  if (parse_date(cell, d) && d != kNoDay) {
    const std::string s = format_date(d);
    Day back;
    if (s.size() != 10 || !parse_date(s, back) || back != d) std::abort();
  }
  if (parse_date_option(cell, d) && d != kNoDay) {
    Day back;
    if (!parse_date_option(format_date(d), back) || back != d) std::abort();
  }

  Kopecks k;
  if (parse_money(cell, k)) {
    Kopecks back;
    if (!parse_money(format_money(k), back) || back != k) std::abort();
    (void)format_money_short(k);
  }

  Tri t;
  (void)parse_bool(cell, t);
  const char g = parse_gender(cell);
  if (g != 0 && g != 'M' && g != 'F') std::abort();

  static const StatusTable statuses = [] {
    StatusTable s;
    s.teach("Прием окончен", Status::Completed);
    s.teach("пропуск", Status::NoShow);
    return s;
  }();
  (void)statuses.classify(cell);
  StatusTable taught;  // teaching arbitrary text must be as safe as classifying it
  taught.teach(cell, Status::Planned);
  auto kind = taught.classify(cell);
  if (!cell.empty() && kind && *kind != Status::Planned && *kind != Status::Completed &&
      *kind != Status::Cancelled && *kind != Status::NoShow)
    std::abort();

  bool unusable = false;
  const std::string phone = pick_phone(cell, &unusable);
  if (!phone.empty()) {
    if (phone[0] != '+' || phone.size() < 9 || phone.size() > 16) std::abort();
    for (size_t i = 1; i < phone.size(); ++i)
      if (phone[i] < '0' || phone[i] > '9') std::abort();
    if (unusable) std::abort();
  }
  (void)is_russian_mobile(phone);
  const std::string one = normalize_phone(cell);
  if (!one.empty() && one[0] != '+') std::abort();
  return 0;
}
