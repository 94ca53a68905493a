// The contact log (`sms --log`, SPEC §6.6, §8.52): snooze windows (rules/contact_log.h), the row
// format, and the file's reading and atomic append (io/contact_log.h). Expected values by hand.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/contact_log.h"
#include "model/errors.h"
#include "temp_file.h"

using namespace kartoteka;

namespace {

using test::slurp;
using test::spit;

// A fresh folder per test; the log and its lock live there.
struct Folder {
  std::string dir;
  Folder() {
    char tmpl[] = "/tmp/kartoteka_log_XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    dir = tmpl;
  }
  ~Folder() { REQUIRE(std::system(("rm -rf " + dir).c_str()) == 0); }
  std::string log() const { return dir + "/log.csv"; }
};

std::vector<std::string> ids_read(const std::string& path) {
  std::vector<std::string> ids;
  ContactLog log(path, [&](const ContactRow& r) { ids.emplace_back(r.id); });
  return ids;
}

}  // namespace

TEST_CASE("RecentContacts: as-of − DAYS < date ≤ as-of") {
  const Day as_of = days_from_ymd(2026, 11, 22);
  RecentContacts r(as_of, 30u, std::nullopt, "");
  // 2026-10-23 is 30 days before as-of: outside; 2026-10-24 (29 days) inside; as-of itself
  // inside; the day after as-of ignored.
  r.add({days_from_ymd(2026, 10, 23), "A", "+79000000001", ""});
  r.add({days_from_ymd(2026, 10, 24), "B", "+79000000002", ""});
  r.add({as_of, "C", "", ""});
  r.add({as_of + 1, "D", "+79000000004", ""});
  CHECK_FALSE(r.contacted("A", "+79000000001"));
  CHECK(r.contacted("B", ""));
  CHECK(r.contacted("zzz", "+79000000002"));  // by the phone the message would go to
  CHECK(r.contacted(" C ", ""));
  CHECK_FALSE(r.contacted("D", "+79000000004"));
  // --snooze 0: an empty window.
  RecentContacts zero(as_of, 0u, std::nullopt, "");
  zero.add({as_of, "C", "", ""});
  CHECK_FALSE(zero.contacted("C", ""));
}

TEST_CASE("RecentContacts: --snooze-campaign counts only its campaign's rows") {
  const Day as_of = days_from_ymd(2026, 11, 22);
  RecentContacts r(as_of, std::nullopt, 10u, "winter");
  r.add({as_of - 5, "A", "", " winter "});  // trimmed: the same campaign
  r.add({as_of - 5, "B", "", "spring"});
  r.add({as_of - 10, "C", "", "winter"});  // 10 days ago: outside a 10-day window
  CHECK(r.contacted("A", ""));
  CHECK_FALSE(r.contacted("B", ""));
  CHECK_FALSE(r.contacted("C", ""));
  // Both windows: either skips.
  RecentContacts both(as_of, 3u, 10u, "winter");
  both.add({as_of - 2, "B", "", "spring"});
  both.add({as_of - 5, "A", "", "winter"});
  both.add({as_of - 5, "E", "", "spring"});
  CHECK(both.contacted("A", ""));
  CHECK(both.contacted("B", ""));
  CHECK_FALSE(both.contacted("E", ""));
}

TEST_CASE("append_log_row: the log's bytes, csv quoting only where needed") {
  std::string out;
  append_log_row(out, days_from_ymd(2026, 11, 22), "000123", "+79161112233", "", 1);
  append_log_row(out, days_from_ymd(2026, 1, 2), "A,1", "", "зима \"1\"", 12);
  CHECK(out ==
        "2026-11-22,000123,+79161112233,,1\n"
        "2026-01-02,\"A,1\",,\"зима \"\"1\"\"\",12\n");
}

TEST_CASE("ContactLog: a new log is created 0600 with its header; then appended") {
  Folder f;
  {
    ContactLog log(f.log(), [](const ContactRow&) { FAIL("no rows in a new log"); });
    log.append("2026-11-22,1,+79161112233,c,1\n");
  }
  CHECK(slurp(f.log()) == "date,id,phone,campaign,segments\n2026-11-22,1,+79161112233,c,1\n");
  struct stat st;
  REQUIRE(::stat(f.log().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((f.log() + ".lock").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  {
    ContactLog log(f.log(), [](const ContactRow&) {});
    log.append("2026-11-23,2,,c,2\n");
  }
  CHECK(ids_read(f.log()) == std::vector<std::string>{"1", "2"});
  // No temporary file is left beside the log.
  CHECK(std::system(("test $(ls -A " + f.dir + " | wc -l) = 2").c_str()) == 0);
}

TEST_CASE("ContactLog: a missing final newline is added; BOM kept; a 0-byte log is new") {
  Folder f;
  spit(f.log(),
       "\xEF\xBB\xBF"
       "date,id,phone,campaign,segments\n2026-11-01,1,89161112233,,1");
  std::vector<std::string> phones;
  {
    ContactLog log(f.log(), [&](const ContactRow& r) { phones.emplace_back(r.phone); });
    log.append("2026-11-22,2,,,1\n");
  }
  CHECK(phones == std::vector<std::string>{"+79161112233"});  // read normalised
  CHECK(slurp(f.log()) ==
        "\xEF\xBB\xBF"
        "date,id,phone,campaign,segments\n2026-11-01,1,89161112233,,1\n"
        "2026-11-22,2,,,1\n");
  spit(f.log(), "");
  {
    ContactLog log(f.log(), [](const ContactRow&) {});
    log.append("");
  }
  CHECK(slurp(f.log()) == "date,id,phone,campaign,segments\n");
}

TEST_CASE("ContactLog: any other format is an input error, and the log stays as it was") {
  Folder f;
  const std::vector<std::string> bad = {
      "date;id;phone;campaign;segments\n",                    // another delimiter
      "Date,id,phone,campaign,segments\n",                    // another header
      "date,id,phone,campaign\n",                             // a missing column
      "date,id,phone,campaign,segments\n22.11.2026,1,,,1\n",  // not YYYY-MM-DD
      "date,id,phone,campaign,segments\n2026-02-30,1,,,1\n",  // no such day
      "date,id,phone,campaign,segments\n2026-11-22 10:00,1,,,1\n",
      "date,id,phone,campaign,segments\n2026-11-22,1,,,x\n",  // segments not a number
      "date,id,phone,campaign,segments\n2026-11-22,1,,\n",    // a short row
  };
  for (const auto& bytes : bad) {
    CAPTURE(bytes);
    spit(f.log(), bytes);
    CHECK_THROWS_AS(ContactLog(f.log(), [](const ContactRow&) {}), InputError);
    CHECK(slurp(f.log()) == bytes);
  }
  // An unusable phone only keeps the row from matching by phone.
  spit(f.log(), "date,id,phone,campaign,segments\n2026-11-22,1,12345,,1\n");
  std::vector<std::string> phones;
  ContactLog ok(f.log(), [&](const ContactRow& r) { phones.emplace_back(r.phone); });
  CHECK(phones == std::vector<std::string>{""});
}

TEST_CASE("ContactLog: a folder that cannot take the log is an error before anything") {
  CHECK_THROWS_AS(ContactLog("/nonexistent-folder/log.csv", [](const ContactRow&) {}), InputError);
}

TEST_CASE("read_contact_log: the one format, from memory; messages name file:line") {
  auto error_of = [](const std::string& bytes) {
    try {
      read_contact_log(Input::memory(bytes, "log.csv"), [](const ContactRow&) {});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  // Each message begins as written here by hand from contact_log.h's contract.
  CHECK(error_of("Date,id,phone,campaign,segments\n")
            .starts_with("log.csv:1: not a contact log: the header must be exactly "));
  CHECK(error_of("date,id,phone,campaign,segments\n\n22.11.2026,1,,,1\n")
            .starts_with("log.csv:3: column \"date\": \"22.11.2026\" is not a date YYYY-MM-DD"));
  CHECK(error_of("date,id,phone,campaign,segments\n2026-11-22,1,,,x\n")
            .starts_with("log.csv:2: column \"segments\": \"x\" is not a whole number"));
  CHECK(error_of("date,id,phone,campaign,segments\n2026-11-22,1,,\n")
            .starts_with("log.csv:2: expected 5 fields, found 4"));
  // A BOM is accepted; phones are read normalised, an unusable one as ""; ids and campaigns
  // trimmed.
  std::vector<std::string> seen;
  read_contact_log(Input::memory("\xEF\xBB\xBF"
                                 "date,id,phone,campaign,segments\n"
                                 "2026-11-01, 7 ,89161112233, весна ,2\n2026-11-02,8,12345,,1\n",
                                 "log.csv"),
                   [&](const ContactRow& r) {
                     seen.push_back(std::string(r.id) + "|" + std::string(r.phone) + "|" +
                                    std::string(r.campaign) + "|" + format_date(r.date));
                   });
  CHECK(seen == std::vector<std::string>{"7|+79161112233|весна|2026-11-01", "8|||2026-11-02"});
}
