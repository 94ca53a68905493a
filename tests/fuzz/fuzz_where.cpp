// Fuzz harness: the --where language (SPEC §6.1, §8.20–§8.22): WhereExpr::parse on arbitrary
// text with a resolver that knows one field of every type, then eval against a few patients
// (all values missing, typical values, odd values). Only UsageError may escape parse; eval never
// throws.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.h"
#include "rules/where.h"

namespace {

using namespace kartoteka;

struct Known {
  const char* name;
  FieldType type;
};
constexpr Known kFields[] = {
    {"name", FieldType::Text},        {"phone", FieldType::Text},
    {"source", FieldType::Text},      {"categories", FieldType::Multi},
    {"services", FieldType::Multi},   {"age", FieldType::Count},
    {"visits", FieldType::Count},     {"spent", FieldType::Money},
    {"avg_check", FieldType::Money},  {"last_visit", FieldType::Date},
    {"birth_date", FieldType::Date},  {"has_phone", FieldType::Bool},
    {"sms_consent", FieldType::Bool}, {"gender", FieldType::Gender},
    {"район", FieldType::Text},
};
constexpr int kCount = sizeof(kFields) / sizeof(kFields[0]);

std::optional<FieldInfo> resolve(std::string_view name) {
  for (int i = 0; i < kCount; ++i)
    if (name == kFields[i].name) return FieldInfo{i, kFields[i].type};
  // Any other name is another text column (so the seeds' fields parse), except names with a
  // digit 9, which are unknown (the usage-error path).
  if (name.find('9') != std::string_view::npos) return std::nullopt;
  return FieldInfo{kCount, FieldType::Text};
}

const std::vector<std::string_view> kTags = {"VIP", "ортодонтия", ""};
const std::vector<std::string_view> kNoTags = {};

class Patient : public FieldGetter {
 public:
  explicit Patient(int variant) : v_(variant) {}
  FieldValue get(int id) const override {
    FieldValue f;
    if (v_ == 0) return f;  // everything missing
    f.missing = false;
    switch (id == kCount ? FieldType::Text : kFields[id].type) {
      case FieldType::Text:
        f.text = v_ == 1 ? "Иванова Ёлка" : v_ == 2 ? "" : "+79123456789";
        break;
      case FieldType::Multi:
        f.multi = v_ == 1 ? &kTags : &kNoTags;
        f.text = v_ == 1 ? "VIP;ортодонтия" : "";
        break;
      case FieldType::Count:
        f.num = v_ == 1 ? 42 : v_ == 2 ? 0 : INT32_MAX;
        f.text = v_ == 1 ? "42" : v_ == 2 ? "0" : "2147483647";
        break;
      case FieldType::Money:
        f.num = v_ == 1 ? 5560000 : v_ == 2 ? -50 : INT64_MAX;
        f.text = v_ == 1 ? "55600.00" : v_ == 2 ? "-0.50" : "92233720368547758.07";
        break;
      case FieldType::Date:
        f.num = v_ == 1 ? 20409 : v_ == 2 ? -719162 : 2932896;
        f.text = v_ == 1 ? "2025-11-17" : v_ == 2 ? "0001-01-01" : "9999-12-31";
        break;
      case FieldType::Bool:
        f.num = v_ & 1;
        f.text = f.num ? "true" : "false";
        break;
      case FieldType::Gender:
        f.num = v_ == 1 ? 'F' : 'M';
        f.text = v_ == 1 ? "F" : "M";
        break;
    }
    return f;
  }

 private:
  int v_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  WhereExpr e;
  try {
    e = WhereExpr::parse(text, resolve);
  } catch (const UsageError& err) {
    const std::string_view msg = err.what();
    if (msg.empty()) std::abort();
    return 0;
  }
  for (int id : e.fields())
    if (id < 0 || id > kCount) std::abort();
  for (int v = 0; v < 4; ++v) (void)e.eval(Patient(v));
  return 0;
}
