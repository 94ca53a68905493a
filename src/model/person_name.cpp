#include "model/person_name.h"

#include "model/text.h"

namespace kartoteka {

NameParts split_name(std::string_view name) {
  NameParts parts;
  std::string_view* word[] = {&parts.last, &parts.first};
  size_t i = 0;
  for (int w = 0; i < name.size(); ++w) {
    while (i < name.size() && (name[i] == ' ' || name[i] == '\t')) ++i;
    size_t j = i;
    while (j < name.size() && name[j] != ' ' && name[j] != '\t') ++j;
    if (j == i) break;
    if (w == 2) {
      parts.middle = trim(name.substr(i));
      break;
    }
    *word[w] = name.substr(i, j - i);
    i = j;
  }
  return parts;
}

}  // namespace kartoteka
