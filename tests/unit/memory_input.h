// Test input in memory (io/input.h): what a test once wrote to a temporary file for a reader that
// took only paths. `path` is the name messages use, so a test can look for it in them.
#pragma once
#include <string>
#include <utility>

#include "io/input.h"

namespace kartoteka::test {

struct MemoryInput : Input {
  std::string path;
  explicit MemoryInput(std::string bytes, std::string name = "in.csv")
      : Input(Input::memory(std::move(bytes), name)), path(std::move(name)) {}
};

}  // namespace kartoteka::test
