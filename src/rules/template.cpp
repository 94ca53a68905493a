#include "rules/template.h"

#include "model/text.h"

namespace kartoteka {

std::vector<TemplatePart> split_template(std::string_view text) {
  using K = TemplatePart::Kind;
  std::vector<TemplatePart> parts;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open != i) {
      const size_t end = open == std::string_view::npos ? text.size() : open;
      parts.push_back({K::literal, text.substr(i, end - i), i + 1});
      i = end;
      continue;
    }
    const size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) {
      parts.push_back({K::unclosed, text.substr(open), open + 1});
      break;
    }
    parts.push_back({K::placeholder, trim(text.substr(open + 1, close - open - 1)), open + 1});
    i = close + 1;
  }
  return parts;
}

}  // namespace kartoteka
