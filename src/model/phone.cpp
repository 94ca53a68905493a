#include "model/phone.h"

#include "model/text.h"

namespace kartoteka {

std::string normalize_phone(std::string_view one) {
  std::string digits;
  bool plus = false;
  for (char c : one) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty()) {
      // A `+` after digits (`8+7…`) is noise, not an international prefix.
      plus = true;
    }
  }
  if (plus) {
    // Kept as written: `+8912…` is a foreign (or mistyped) number we must not "fix".
    if (digits.size() >= 8 && digits.size() <= 15) return "+" + digits;
    return {};
  }
  if (digits.size() == 11 && (digits[0] == '7' || digits[0] == '8')) return "+7" + digits.substr(1);
  if (digits.size() == 10 && digits[0] == '9') return "+7" + digits;
  return {};
}

bool is_russian_mobile(std::string_view e164) {
  if (e164.size() != 12 || !e164.starts_with("+79")) return false;
  for (char c : e164.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

namespace {

// Calls `take(phone)` for each valid phone of a cell, in order (numbers separated by `,` or `;`,
// §8.45); stops early when `take` returns false.
template <class Take>
void for_each_phone(std::string_view cell, Take take) {
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find_first_of(",;", start);
    if (end == std::string_view::npos) end = cell.size();
    std::string phone = normalize_phone(cell.substr(start, end - start));
    if (!phone.empty() && !take(std::move(phone))) return;
    start = end + 1;
  }
}

}  // namespace

std::string pick_phone(std::string_view cell, bool* unusable) {
  std::string first_valid;
  std::string mobile;
  for_each_phone(cell, [&](std::string phone) {
    if (is_russian_mobile(phone)) {
      mobile = std::move(phone);
      return false;
    }
    if (first_valid.empty()) first_valid = std::move(phone);
    return true;
  });
  std::string result = mobile.empty() ? first_valid : mobile;
  if (unusable) *unusable = result.empty() && !trim(cell).empty();
  return result;
}

void append_phones(std::string_view cell, std::string& out) {
  for_each_phone(cell, [&](std::string phone) {
    if (!out.empty()) out += ';';
    out += phone;
    return true;
  });
}

}  // namespace kartoteka
