// pipe_records: every record reaches the work function once, in file order, with the piped
// columns filled, on one thread and on two; errors from either side surface in file order.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/record_pipe.h"
#include "memory_input.h"
#include "model/errors.h"

using kartoteka::pipe_records;
using kartoteka::Record;
using kartoteka::RecordBatch;
using kartoteka::RecordReader;

namespace {

using kartoteka::test::MemoryInput;

// n rows "i,name<i>,x" after a header; row i is on line i + 2.
std::string rows(int n) {
  std::string s = "id,name,other\n";
  for (int i = 0; i < n; ++i) s += std::to_string(i) + ",name" + std::to_string(i) + ",x\n";
  return s;
}

}  // namespace

TEST_CASE("pipe_records: all records in file order, piped columns only, both thread modes") {
  // 10000 rows: three batches of 4096 (the last partial), so batch hand-over is exercised.
  MemoryInput f(rows(10000));
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    std::vector<std::string> ids;
    bool other_untouched = true;
    Record rec;
    rec.fields.assign(3, "unset");
    pipe_records(rd, {0, 1}, two, [&](const RecordBatch& b) {
      for (size_t i = 0; i < b.size(); ++i) {
        b.get(i, rec);
        CHECK(rec.error.empty());
        // Line = row number + 2 (header on line 1); name = "name" + id.
        CHECK(rec.line == static_cast<int64_t>(ids.size()) + 2);
        CHECK(rec.fields[1] == "name" + std::string(rec.fields[0]));
        other_untouched = other_untouched && rec.fields[2] == "unset";
        ids.emplace_back(rec.fields[0]);
      }
    });
    REQUIRE(ids.size() == 10000);
    for (int i = 0; i < 10000; ++i) CHECK(ids[static_cast<size_t>(i)] == std::to_string(i));
    CHECK(other_untouched);  // column 2 was not piped
  }
}

TEST_CASE("pipe_records: a bad record arrives as its error, in place") {
  // Line 3 has two fields instead of three: the reader's reason, not fields.
  MemoryInput f("a,b,c\n1,2,3\n4,5\n6,7,8\n");
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    std::vector<std::string> seen;
    Record rec;
    rec.fields.resize(3);
    pipe_records(rd, {0}, two, [&](const RecordBatch& b) {
      for (size_t i = 0; i < b.size(); ++i) {
        b.get(i, rec);
        seen.push_back(std::to_string(rec.line) + ":" +
                       (rec.error.empty() ? std::string(rec.fields[0]) : "error"));
      }
    });
    CHECK(seen == std::vector<std::string>{"2:1", "3:error", "4:6"});
  }
}

TEST_CASE("RecordBatch::cell: the k-th piped column, as get() sets it; empty for a bad record") {
  // Piped columns {2, 0}: k = 0 is column c, k = 1 is column a. Line 3 is bad (two fields).
  MemoryInput f("a,b,c\n1,2,3\n4,5\n\"6\",7, 8 \n");
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    std::vector<std::string> seen;
    pipe_records(rd, {2, 0}, two, [&](const RecordBatch& b) {
      for (size_t i = 0; i < b.size(); ++i)
        seen.push_back(std::string(b.cell(i, 0)) + "/" + std::string(b.cell(i, 1)));
    });
    // Quotes removed and spaces trimmed as for get(): "6" → 6, " 8 " → 8.
    CHECK(seen == std::vector<std::string>{"3/1", "/", "8/6"});
  }
}

TEST_CASE("pipe_records: piped cells are right whether a record is copied whole or cell by cell") {
  // Row 2's piped cells (a, c) are 2 of its 43 bytes: copied cell by cell. Row 3's are 40 of 43:
  // copied whole. Row 4 has a `""` escape, so its cells are not views of the record: cell by cell.
  const std::string long_b(40, 'b');
  MemoryInput f("a,b,c\n1," + long_b + ",2\n" + std::string(20, 'x') + ",b," +
                std::string(20, 'y') + "\n\"q\"\"\",b,z\n");
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    std::vector<std::string> seen;
    Record rec;
    rec.fields.assign(3, "unset");
    pipe_records(rd, {0, 2}, two, [&](const RecordBatch& b) {
      for (size_t i = 0; i < b.size(); ++i) {
        b.get(i, rec);
        seen.push_back(std::string(rec.fields[0]) + "|" + std::string(rec.fields[1]) + "|" +
                       std::string(rec.fields[2]));
      }
    });
    CHECK(seen == std::vector<std::string>{"1|unset|2",
                                           std::string(20, 'x') + "|unset|" + std::string(20, 'y'),
                                           "q\"|unset|z"});
  }
}

TEST_CASE("pipe_records: an error in the work stops the reading and is rethrown") {
  MemoryInput f(rows(20000));
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    size_t batches = 0;
    Record rec;
    rec.fields.resize(3);
    CHECK_THROWS_WITH_AS(pipe_records(rd, {0}, two,
                                      [&](const RecordBatch&) {
                                        if (++batches == 2) throw std::runtime_error("row 5000");
                                      }),
                         "row 5000", std::runtime_error);
    CHECK(batches == 2);  // no batch is worked on after the failing one
  }
}

TEST_CASE("pipe_records: records read before a reading error are worked on first") {
  // 5000 good rows, then a NUL byte: the reader throws; the work must have seen all 5000 rows
  // (what they report comes before the reader's error), and the reader's error is rethrown.
  MemoryInput f(rows(5000) + std::string("1,\0,x\n", 6));
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    size_t seen = 0;
    CHECK_THROWS_AS(pipe_records(rd, {0}, two, [&](const RecordBatch& b) { seen += b.size(); }),
                    kartoteka::InputError);
    CHECK(seen == 5000);
  }
}

TEST_CASE("pipe_records: the work's error wins over a later reading error") {
  MemoryInput f(rows(5000) + std::string("1,\0,x\n", 6));
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    CHECK_THROWS_WITH_AS(
        pipe_records(rd, {0}, two, [&](const RecordBatch&) { throw std::runtime_error("first"); }),
        "first", std::runtime_error);
  }
}

TEST_CASE("pipe_records: records copied whole and cell by cell read back the same") {
  // Row 2 has a `""` escape (its cells are copied one by one), the others are copied whole;
  // the piped columns 0 and 2 must read back as the reader gave them.
  MemoryInput f("a,b,c\n1,x,\"p\nq\"\n\"2\"\"\",y,r\n3,z,s\n");
  for (bool two : {false, true}) {
    RecordReader rd(f, kartoteka::Encoding::Utf8, ',');
    std::vector<std::string> seen;
    Record rec;
    rec.fields.resize(3);
    pipe_records(rd, {0, 2}, two, [&](const RecordBatch& b) {
      for (size_t i = 0; i < b.size(); ++i) {
        b.get(i, rec);
        seen.push_back(std::string(rec.fields[0]) + "|" + std::string(rec.fields[2]));
      }
    });
    CHECK(seen == std::vector<std::string>{"1|p\nq", "2\"|r", "3|s"});
  }
}
