// What a reader reads: a file named by its path ("-" = standard input), or bytes already in
// memory. Readers take an Input so that tests and fuzzers feed them memory instead of writing
// temporary files; a path converts implicitly, so callers that name files read as before.
//
//   read_from_list("list.csv", patients, diag);                                   // a file
//   read_from_list(Input::memory("id\n1\n", "list.csv"), patients, diag);         // bytes
#pragma once
#include <optional>
#include <string>
#include <utility>

namespace kartoteka {

class Input {
 public:
  Input() = default;                                   // no path yet
  Input(std::string path) : name_(std::move(path)) {}  // NOLINT: implicit on purpose
  Input(const char* path) : name_(path) {}             // NOLINT
  // `bytes`, named `name` in messages (as a file is by its path). Read like a regular file: the
  // whole input is there, so a reader may read it twice.
  static Input memory(std::string bytes, std::string name) {
    Input in(std::move(name));
    in.bytes_ = std::move(bytes);
    return in;
  }

  bool in_memory() const { return bytes_.has_value(); }
  // The path of a file; the given name of bytes in memory.
  const std::string& name() const { return name_; }
  // The bytes of an in-memory input (in_memory() only).
  const std::string& bytes() const { return *bytes_; }
  // The bytes, moved out (in_memory() only): a reader that keeps them need not copy them.
  std::string release_bytes() && { return std::move(*bytes_); }

 private:
  std::string name_;
  std::optional<std::string> bytes_;
};

}  // namespace kartoteka
