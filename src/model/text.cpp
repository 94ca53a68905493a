#include "model/text.h"

#include <cstdint>

namespace kartoteka {

namespace {

// Decodes one well-formed UTF-8 sequence at s[i]. Returns its length (1–4) and sets cp, or 0 when
// the bytes there are not valid UTF-8 (overlong, surrogate, > U+10FFFF, truncated).
size_t decode(std::string_view s, size_t i, char32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t len;
  char32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;  // stray continuation byte, C0/C1 overlong lead, or F5..FF
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// In blocks where upper and lower case alternate, the upper-case letter is the one whose parity
// matches the block start.
bool alternating_upper(char32_t cp, char32_t first, char32_t last) {
  return cp >= first && cp <= last && (cp - first) % 2 == 0;
}

// Simple lower-case mapping for the scripts clinic data uses (Latin, Greek, Cyrillic). Hand-written
// ranges instead of ICU; letters outside these blocks are left as they are.
char32_t to_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  // Latin-1 Supplement: À..Þ except × (U+00D7).
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  // Latin Extended-A: pairs, with the odd-aligned runs Ĺ..Ň and Ź..Ž and a few singletons.
  if (c == 0x130) return 'i';   // İ
  if (c == 0x178) return 0xFF;  // Ÿ → ÿ
  if (alternating_upper(c, 0x100, 0x12F) || alternating_upper(c, 0x132, 0x137) ||
      alternating_upper(c, 0x139, 0x148) || alternating_upper(c, 0x14A, 0x177) ||
      alternating_upper(c, 0x179, 0x17E)) {
    return c + 1;
  }
  // Greek.
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB)) return c + 32;
  // Cyrillic: Ѐ..Џ, А..Я, then the alternating historic/national letters.
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c == 0x4C0) return 0x4CF;  // Ӏ
  if (alternating_upper(c, 0x460, 0x481) || alternating_upper(c, 0x48A, 0x4BF) ||
      alternating_upper(c, 0x4C1, 0x4CE) || alternating_upper(c, 0x4D0, 0x52F)) {
    return c + 1;
  }
  return c;
}

bool is_space_cp(char32_t c) {
  // NBSP and narrow NBSP count as spaces in headers: spreadsheets put them there invisibly.
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0 ||
         c == 0x202F;
}

}  // namespace

std::string fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp;
    size_t len = decode(utf8, i, cp);
    if (len == 0) {
      out += utf8[i++];  // invalid bytes pass through so nothing is lost
      continue;
    }
    i += len;
    cp = to_lower(cp);
    if (cp == 0x451) cp = 0x435;  // ё → е (Ё already lowered to ё)
    encode(cp, out);
  }
  return out;
}

std::string normalize_header(std::string_view title) {
  std::string folded = fold(trim(title));
  std::string out;
  bool pending_space = false;
  for (size_t i = 0; i < folded.size();) {
    char32_t cp;
    size_t len = decode(folded, i, cp);
    if (len == 0) {
      cp = 0xFFFFFFFF;  // an invalid byte is an ordinary character here
      len = 1;
    }
    if (cp == '_' || cp == '-' || cp == '.' || is_space_cp(cp)) {
      pending_space = true;
    } else {
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out.append(folded, i, len);
    }
    i += len;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    char32_t cp;
    size_t len = decode(s, i, cp);
    i += len ? len : 1;
  }
  return n;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t len = decode(s, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

}  // namespace kartoteka
