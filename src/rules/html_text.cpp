#include "rules/html_text.h"

namespace kartoteka {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      // A clinic's label that reads `src=`, `url(` or `@import` must not look like one in the
      // page's source to a mail filter (or a grep): as references they are the same text.
      case '=':
        out += "&#61;";
        break;
      case '(':
        out += "&#40;";
        break;
      case '@':
        out += "&#64;";
        break;
      default:
        // C0 controls other than TAB, LF, CR are not allowed in XML (nor sensible in HTML).
        out +=
            static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c;
    }
  }
  return out;
}

std::string shorten(std::string_view text, size_t max) {
  size_t chars = 0, cut = text.size();
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max - 1 && cut == text.size()) cut = i;
    if (++chars > max) return std::string(text.substr(0, cut)) + "…";
  }
  return std::string(text);
}

}  // namespace kartoteka
