#include <doctest/doctest.h>

#include "model/values.h"

using namespace kartoteka;

namespace {

// nullopt for a bad value, else the parsed Tri.
std::optional<Tri> boolean(std::string_view cell) {
  Tri t = Tri::Unknown;
  if (!parse_bool(cell, t)) return std::nullopt;
  return t;
}

}  // namespace

TEST_CASE("parse_bool") {
  for (const char* v : {"1", "да", "д", "yes", "y", "true", "истина", "+", "Да", "ДА", "Д", "YES",
                        "Y", "True", "TRUE", "Истина", " да ", "\tyes"}) {
    CAPTURE(v);
    CHECK(boolean(v) == Tri::True);
  }
  for (const char* v : {"0", "нет", "н", "no", "n", "false", "ложь", "-", "Нет", "НЕТ", "Н", "NO",
                        "N", "False", "Ложь", " нет\t"}) {
    CAPTURE(v);
    CHECK(boolean(v) == Tri::False);
  }
  CHECK(boolean("") == Tri::Unknown);
  CHECK(boolean("   ") == Tri::Unknown);
  for (const char* v :
       {"2", "yes!", "ok", "da", "t", "f", "on", "off", "да нет", "+1", "-1", "00", "y e s",
        "\xC2\xA0"
        "да",
        "истинa" /* Latin a */}) {
    CAPTURE(v);
    CHECK_FALSE(boolean(v).has_value());
  }
}

TEST_CASE("parse_gender") {
  // Cyrillic М/Ж and Latin M/F.
  for (const char* v :
       {"М", "м", "M", "m", "муж", "Муж", "МУЖ", "мужской", "Мужской", "male", "Male", " м "}) {
    CAPTURE(v);
    CHECK(parse_gender(v) == 'M');
  }
  for (const char* v :
       {"Ж", "ж", "F", "f", "жен", "Жен", "женский", "ЖЕНСКИЙ", "female", "Female", "\tж"}) {
    CAPTURE(v);
    CHECK(parse_gender(v) == 'F');
  }
  for (const char* v : {"", "x", "мужчина", "woman", "man", "w", "мж", "?"}) {
    CAPTURE(v);
    CHECK(parse_gender(v) == 0);
  }
}

TEST_CASE("parse_status_kind") {
  CHECK(parse_status_kind("completed") == Status::Completed);
  CHECK(parse_status_kind("cancelled") == Status::Cancelled);
  CHECK(parse_status_kind("no_show") == Status::NoShow);
  CHECK(parse_status_kind("planned") == Status::Planned);
  CHECK_FALSE(parse_status_kind("").has_value());
  CHECK_FALSE(parse_status_kind("done").has_value());
  CHECK_FALSE(parse_status_kind("noshow").has_value());
}

TEST_CASE("StatusTable: built-in vocabulary") {
  StatusTable t;
  CHECK(t.classify("") == Status::Completed);
  CHECK(t.classify("  ") == Status::Completed);
  for (const char* v : {"выполнен", "выполнено", "проведен", "проведён", "оказано", "оказана",
                        "завершен", "завершён", "закрыт", "оплачен", "completed", "done", "closed",
                        "Выполнено", "ПРОВЕДЁН", "Done", " closed "}) {
    CAPTURE(v);
    CHECK(t.classify(v) == Status::Completed);
  }
  for (const char* v : {"отменен", "отменён", "Отменён", "отмена", "cancelled", "canceled",
                        "Cancelled", "ОТМЕНА"}) {
    CAPTURE(v);
    CHECK(t.classify(v) == Status::Cancelled);
  }
  for (const char* v : {"неявка", "не пришел", "не пришёл", "Не пришёл", "no-show", "no_show",
                        "noshow", "No-Show", "NOSHOW", "Неявка"}) {
    CAPTURE(v);
    CHECK(t.classify(v) == Status::NoShow);
  }
  for (const char* v : {"запланирован", "запланировано", "записан", "planned", "scheduled",
                        "booked", "Записан", "BOOKED"}) {
    CAPTURE(v);
    CHECK(t.classify(v) == Status::Planned);
  }
  // No header separator rule: these are not the same value.
  for (const char* v : {"No show", "no show", "no.show", "не_пришел", "непришел", "выполнена",
                        "оплачено", "в работе", "cancel", "-"}) {
    CAPTURE(v);
    CHECK_FALSE(t.classify(v).has_value());
  }
}

TEST_CASE("StatusTable: --status overrides") {
  StatusTable t;
  t.teach("В работе", Status::Planned);
  CHECK(t.classify("в работе") == Status::Planned);
  CHECK(t.classify("В РАБОТЕ") == Status::Planned);
  // An override wins over the built-in meaning of the same value, matched after folding.
  t.teach("Оплачен", Status::Cancelled);
  CHECK(t.classify("оплачен") == Status::Cancelled);
  t.teach("Отменён", Status::Completed);
  CHECK(t.classify("отменен") == Status::Completed);
  // Other built-ins keep their meaning.
  CHECK(t.classify("отмена") == Status::Cancelled);
  // Teaching twice: the last one wins.
  t.teach("в работе", Status::NoShow);
  CHECK(t.classify("В работе") == Status::NoShow);
  // Teaching one table does not change another.
  StatusTable fresh;
  CHECK_FALSE(fresh.classify("в работе").has_value());
  CHECK(fresh.classify("оплачен") == Status::Completed);
  CHECK(fresh.classify("") == Status::Completed);
  // `--status =planned` (§8.47): the empty value (also blanks only) is reassigned.
  t.teach("", Status::Planned);
  CHECK(t.classify("") == Status::Planned);
  CHECK(t.classify("  ") == Status::Planned);
  CHECK(t.classify("выполнен") == Status::Completed);
}

TEST_CASE("status_kind_name: the --status KIND names") {
  for (auto k : {Status::Completed, Status::Cancelled, Status::NoShow, Status::Planned})
    CHECK(parse_status_kind(status_kind_name(k)) == k);
  CHECK(status_kind_name(Status::NoShow) == "no_show");
}
