// split_name (SPEC §8.14): the one name splitter, used by the patients reader (a part column left
// empty) and by PatientTable (a part not stored twice). Expected parts are read off by hand.
#include <doctest/doctest.h>

#include "model/patients.h"
#include "model/person_name.h"

using namespace kartoteka;

namespace {

bool parts_are(std::string_view name, std::string_view last, std::string_view first,
               std::string_view middle) {
  const NameParts p = split_name(name);
  return p.last == last && p.first == first && p.middle == middle;
}

}  // namespace

TEST_CASE("split_name: word 1 last, word 2 first, the rest from word 3 on middle") {
  CHECK(parts_are("Иванова Анна Петровна", "Иванова", "Анна", "Петровна"));
  // Spaces and tabs both separate; runs of them count once; the ends are trimmed.
  CHECK(parts_are(" \tИванова \t Анна  Петровна\t ", "Иванова", "Анна", "Петровна"));
  // The middle is the rest as written, inner spaces kept.
  CHECK(parts_are("Ким  Ли Мин  Хо ", "Ким", "Ли", "Мин  Хо"));
  // Short names leave the later parts empty.
  CHECK(parts_are("Иванова Анна", "Иванова", "Анна", ""));
  CHECK(parts_are("Иванова", "Иванова", "", ""));
  CHECK(parts_are("", "", "", ""));
  CHECK(parts_are(" \t ", "", "", ""));
  // NBSP (C2 A0) is not a separator (model/text.h trims spaces and tabs only).
  CHECK(parts_are("Анна\xC2\xA0Мария Петрова", "Анна\xC2\xA0Мария", "Петрова", ""));
}

TEST_CASE("PatientTable::default_name_part is split_name's part") {
  const std::string_view name = "Сидоров Пётр Ильич оглы";
  CHECK(PatientTable::default_name_part(name, PText::last_name) == "Сидоров");
  CHECK(PatientTable::default_name_part(name, PText::first_name) == "Пётр");
  CHECK(PatientTable::default_name_part(name, PText::middle_name) == "Ильич оглы");
  CHECK(PatientTable::default_name_part(name, PText::phone) == "");
}
