#include "model/values.h"

#include <algorithm>
#include <initializer_list>
#include <iterator>

#include "model/text.h"

namespace kartoteka {

namespace {

bool one_of(const std::string& folded, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), folded) != words.end();
}

// The --status KIND names, indexed by Status.
constexpr std::string_view kStatusKinds[] = {"completed", "cancelled", "no_show", "planned"};
static_assert(std::size(kStatusKinds) == static_cast<size_t>(Status::Planned) + 1);

}  // namespace

bool parse_bool(std::string_view cell, Tri& out) {
  std::string v = fold(trim(cell));
  if (v.empty()) {
    out = Tri::Unknown;
  } else if (one_of(v, {"1", "да", "д", "yes", "y", "true", "истина", "+"})) {
    out = Tri::True;
  } else if (one_of(v, {"0", "нет", "н", "no", "n", "false", "ложь", "-"})) {
    out = Tri::False;
  } else {
    return false;
  }
  return true;
}

char parse_gender(std::string_view cell) {
  std::string v = fold(trim(cell));
  // Cyrillic м/ж and Latin m/f both occur; fold makes the capitals match too.
  if (one_of(v, {"м", "m", "муж", "мужской", "male"})) return 'M';
  if (one_of(v, {"ж", "f", "жен", "женский", "female"})) return 'F';
  return 0;
}

std::optional<Status> parse_status_kind(std::string_view kind) {
  std::string v = fold(trim(kind));
  for (size_t i = 0; i < std::size(kStatusKinds); ++i)
    if (v == kStatusKinds[i]) return static_cast<Status>(i);
  return std::nullopt;
}

std::string_view status_kind_name(Status kind) {
  return kStatusKinds[static_cast<size_t>(kind)];
}

StatusTable::StatusTable() {
  // SPEC §2.6, already folded (ё written as е). The empty value is an entry too, so that
  // `--status =KIND` could override it like any other value.
  auto add = [this](Status kind, std::initializer_list<const char*> values) {
    for (const char* v : values) entries_.emplace_back(v, kind);
  };
  add(Status::Completed, {"", "выполнен", "выполнено", "проведен", "оказано", "оказана", "завершен",
                          "закрыт", "оплачен", "completed", "done", "closed"});
  add(Status::Cancelled, {"отменен", "отмена", "cancelled", "canceled"});
  add(Status::NoShow, {"неявка", "не пришел", "no-show", "no_show", "noshow"});
  add(Status::Planned,
      {"запланирован", "запланировано", "записан", "planned", "scheduled", "booked"});
}

void StatusTable::teach(std::string_view value, Status kind) {
  std::string key = fold(trim(value));
  for (auto& [known, known_kind] : entries_) {
    if (known == key) {
      known_kind = kind;
      return;
    }
  }
  entries_.emplace_back(std::move(key), kind);
}

std::optional<Status> StatusTable::classify(std::string_view cell) const {
  std::string key = fold(trim(cell));
  for (const auto& [known, kind] : entries_) {
    if (known == key) return kind;
  }
  return std::nullopt;
}

}  // namespace kartoteka
