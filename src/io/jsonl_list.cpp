#include "io/jsonl_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "io/utf8.h"
#include "model/errors.h"

namespace kartoteka {
namespace {

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A cursor over one line; every failure throws with the line's position.
class LineParser {
 public:
  LineParser(std::string_view line, const std::string& name, int64_t line_no)
      : s_(line), name_(name), line_no_(line_no) {}

  std::vector<std::pair<std::string, std::string>> object() {
    std::vector<std::pair<std::string, std::string>> out;
    skip();
    expect('{', "a JSON object");
    skip();
    if (peek() == '}') {
      ++i_;
    } else {
      while (true) {
        skip();
        if (peek() != '"') fail("a key in double quotes");
        std::string key = string();
        for (const auto& kv : out)
          if (kv.first == key) fail_msg(fmt::format("the key \"{}\" is repeated", key));
        skip();
        expect(':', "':' after a key");
        skip();
        std::string v = value(key);
        out.emplace_back(std::move(key), std::move(v));
        skip();
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect('}', "',' or '}'");
        break;
      }
    }
    skip();
    if (i_ < s_.size()) fail_msg("text after the object (one object per line)");
    return out;
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip() {
    while (i_ < s_.size() && blank(s_[i_])) ++i_;
  }
  void expect(char c, std::string_view what) {
    if (peek() != c) fail(what);
    ++i_;
  }
  [[noreturn]] void fail(std::string_view expected) const {
    fail_msg(fmt::format("expected {} at character {}", expected, i_ + 1));
  }
  [[noreturn]] void fail_msg(const std::string& what) const {
    throw InputError(fmt::format("{}:{}: not a jsonl list line: {}", name_, line_no_, what));
  }

  // A scalar value as a cell (§6.9); arrays and objects are input errors naming the key.
  std::string value(const std::string& key) {
    const char c = peek();
    if (c == '"') return string();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    for (std::string_view word : {"true", "false", "null"})
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return word == "null" ? std::string() : std::string(word);
      }
    if (c == '[' || c == '{')
      fail_msg(
          fmt::format("the value of \"{}\" is {}: a list's values are strings, numbers, "
                      "booleans or null",
                      key, c == '[' ? "an array" : "an object"));
    fail("a string, number, boolean or null");
  }

  // JSON's number grammar; the text is kept as written.
  std::string number() {
    const size_t from = i_;
    if (peek() == '-') ++i_;
    auto digits = [&] {
      const size_t d = i_;
      while (peek() >= '0' && peek() <= '9') ++i_;
      return i_ - d;
    };
    if (peek() == '0')
      ++i_;
    else if (digits() == 0)
      fail("a digit");
    if (peek() == '.') {
      ++i_;
      if (digits() == 0) fail("a digit after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++i_;
      if (peek() == '+' || peek() == '-') ++i_;
      if (digits() == 0) fail("a digit in the exponent");
    }
    return std::string(s_.substr(from, i_ - from));
  }

  unsigned hex4() {
    if (i_ + 4 > s_.size()) fail("four hex digits after \\u");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        v |= static_cast<unsigned>(h - 'A' + 10);
      else
        fail("four hex digits after \\u");
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | cp >> 6);
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | cp >> 12);
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | cp >> 18);
      out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // A code point of \uXXXX (with its low surrogate when it is a high one).
  unsigned escaped_code_point() {
    unsigned cp = hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF) fail_msg("a lone low surrogate in a \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (s_.substr(i_, 2) != "\\u") fail_msg("a high surrogate without its low half");
      i_ += 2;
      const unsigned lo = hex4();
      if (lo < 0xDC00 || lo > 0xDFFF) fail_msg("a high surrogate without its low half");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    return cp;
  }

  std::string string() {
    ++i_;  // the opening quote
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail_msg("an unterminated string");
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail_msg("a control character inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++i_;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          append_utf8(out, escaped_code_point());
          break;
        default:
          --i_;
          fail("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
    }
  }

  std::string_view s_;
  const std::string& name_;
  int64_t line_no_;
  size_t i_ = 0;
};

}  // namespace

bool looks_like_jsonl(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  auto it = std::find_if(head.begin(), head.end(), [](char c) { return !blank(c); });
  return it != head.end() && *it == '{';
}

std::vector<std::pair<std::string, std::string>> parse_jsonl_object(std::string_view line,
                                                                    const std::string& name,
                                                                    int64_t line_no) {
  const size_t bad = io_detail::utf8_check(line.data(), line.size(), true, nullptr);
  if (bad < line.size())
    throw InputError(fmt::format("{}:{}: not valid UTF-8 (a jsonl list is UTF-8)", name, line_no));
  return LineParser(line, name, line_no).object();
}

JsonlTable parse_jsonl(std::string_view text, const std::string& name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  JsonlTable t;
  std::unordered_map<std::string, size_t> column;
  int64_t line_no = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++line_no;
    if (std::all_of(line.begin(), line.end(), blank)) continue;
    auto pairs = parse_jsonl_object(line, name, line_no);
    JsonlTable::Row row{line_no, std::vector<std::string>(t.header.size())};
    for (auto& [key, value] : pairs) {
      auto [it, added] = column.emplace(key, t.header.size());
      if (added) {
        t.header.push_back(key);
        for (auto& earlier : t.rows) earlier.values.emplace_back();
        row.values.emplace_back();
      }
      row.values[it->second] = std::move(value);
    }
    t.rows.push_back(std::move(row));
  }
  if (t.header.empty())
    throw InputError(fmt::format("{}: the jsonl list has no keys (no header)", name));
  return t;
}

}  // namespace kartoteka
