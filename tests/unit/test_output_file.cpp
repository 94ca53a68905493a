// `-o FILE` is atomic and private (SPEC §3): commit renames a 0600 temporary file over FILE; a
// run that fails leaves FILE as it was and no temporary file behind.
#include <dirent.h>
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/output_file.h"
#include "model/errors.h"
#include "temp_file.h"

using namespace kartoteka;

namespace {

// A fresh folder under /tmp, removed with everything in it at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/kartoteka-out-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    ::chmod(path.c_str(), 0700);
    for (const auto& name : entries()) std::remove((path + "/" + name).c_str());
    ::rmdir(path.c_str());
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    if (DIR* d = ::opendir(path.c_str())) {
      while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
      }
      ::closedir(d);
    }
    return names;
  }
};

using test::slurp;
using test::spit;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("OutputTarget: commit writes FILE with mode 0600 and leaves no temporary file") {
  TempDir dir;
  const std::string file = dir.path + "/list.csv";
  {
    OutputTarget out(file);
    TableWriter w(Format::Csv, out.sink(), {{"id", ColumnKind::Id}, {"name", ColumnKind::Text}},
                  {});
    w.row({"000123", "Иванов"});
    w.finish();
    CHECK_FALSE(std::ifstream(file).good());  // nothing at FILE before commit
    out.commit();
  }
  CHECK(slurp(file) == "id,name\n000123,Иванов\n");
  CHECK(mode_of(file) == 0600);
  CHECK(dir.entries() == std::vector<std::string>{"list.csv"});
}

TEST_CASE("OutputTarget: a relative path works (temporary file in the current folder)") {
  TempDir dir;
  char old_cwd[4096];
  REQUIRE(::getcwd(old_cwd, sizeof old_cwd) != nullptr);
  REQUIRE(::chdir(dir.path.c_str()) == 0);
  {
    OutputTarget out("rel.csv");
    out.sink().write("x\n");
    out.commit();
  }
  REQUIRE(::chdir(old_cwd) == 0);
  CHECK(slurp(dir.path + "/rel.csv") == "x\n");
  CHECK(dir.entries() == std::vector<std::string>{"rel.csv"});
}

TEST_CASE("OutputTarget: replacing an existing FILE makes it 0600 too") {
  TempDir dir;
  const std::string file = dir.path + "/list.csv";
  spit(file, "old\n");
  REQUIRE(::chmod(file.c_str(), 0644) == 0);
  {
    OutputTarget out(file);
    out.sink().write("new\n");
    out.commit();
  }
  CHECK(slurp(file) == "new\n");
  CHECK(mode_of(file) == 0600);
}

TEST_CASE("OutputTarget: without commit the old FILE stays intact and the temporary is removed") {
  TempDir dir;
  const std::string file = dir.path + "/list.csv";
  spit(file, "old contents\n");
  {
    OutputTarget out(file);
    // Bytes that really reached the temporary file (flushed, and a chunk-sized write).
    out.sink().write("partial\n");
    out.sink().flush();
    out.sink().write(std::string(100 * 1024, 'x'));
    CHECK(dir.entries().size() == 2);  // FILE and its `.list.csv.XXXXXX`
  }
  CHECK(slurp(file) == "old contents\n");
  CHECK(dir.entries() == std::vector<std::string>{"list.csv"});
}

TEST_CASE("OutputTarget: a folder that cannot be written is an InputError naming the path") {
  TempDir dir;
  const std::string missing = dir.path + "/no/such/folder/list.csv";
  try {
    OutputTarget out(missing);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "cannot write " + missing + ": No such file or directory");
  }

  // Root ignores folder permissions, so the read-only case only means something for others.
  if (::geteuid() != 0) {
    REQUIRE(::chmod(dir.path.c_str(), 0500) == 0);
    const std::string file = dir.path + "/list.csv";
    try {
      OutputTarget out(file);
      FAIL("expected InputError");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()) == "cannot write " + file + ": Permission denied");
    }
  }
}

TEST_CASE("OutputTarget: a failed rename is an InputError and removes the temporary file") {
  TempDir dir;
  const std::string target = dir.path + "/taken";
  REQUIRE(::mkdir(target.c_str(), 0700) == 0);  // a folder cannot be replaced by a file
  {
    OutputTarget out(target);
    out.sink().write("data\n");
    CHECK_THROWS_AS(out.commit(), InputError);
  }
  CHECK(dir.entries() == std::vector<std::string>{"taken"});
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
}

TEST_CASE("OutputTarget: empty path and - mean stdout") {
  for (const char* p : {"", "-"}) {
    OutputTarget out(p);
    CHECK_NOTHROW(out.sink());
    CHECK_NOTHROW(out.commit());  // nothing written; just flushes stdout
  }
}
