// Text into HTML and SVG (SPEC §6.7): every value from the exports is escaped, so a branch
// called `<b>` stays text and the page stays well-formed XML where it is checked as such.
#pragma once
#include <string>
#include <string_view>

namespace kartoteka {

// `&` `<` `>` `"` `'` (and `=` `(` `@`, so no label reads `src=`, `url(`, `@import` in the
// source) as character references; valid for text and for quoted attribute values.
// C0 control characters (but TAB, LF, CR), which XML forbids, become spaces.
std::string html_escape(std::string_view text);
// At most `max` characters (code points), with `…` in place of the rest.
std::string shorten(std::string_view text, size_t max);

}  // namespace kartoteka
