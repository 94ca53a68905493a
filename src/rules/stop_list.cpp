#include "rules/stop_list.h"

#include "model/phone.h"
#include "model/text.h"

namespace kartoteka {

void StopList::add_id(std::string_view id) {
  id = trim(id);
  if (!id.empty()) ids_.emplace(id);
}

void StopList::add_phone(std::string_view e164) {
  if (!e164.empty()) phones_.emplace(e164);
}

bool StopList::excludes(std::string_view id, std::string_view phones) const {
  if (!ids_.empty() && ids_.count(std::string(trim(id)))) return true;
  if (phones_.empty()) return false;
  size_t start = 0;
  while (start < phones.size()) {
    size_t end = phones.find_first_of(",;", start);
    if (end == std::string_view::npos) end = phones.size();
    const std::string e164 = normalize_phone(phones.substr(start, end - start));
    if (!e164.empty() && phones_.count(e164)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace kartoteka
