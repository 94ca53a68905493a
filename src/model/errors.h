// Errors that carry their exit class. Only main() maps them to exit codes:
// InputError → 1 (the data or a file is wrong), UsageError → 2 (the command line is wrong).
#pragma once
#include <stdexcept>
#include <string>

namespace kartoteka {

// A problem with an input file or its contents. what() is the complete one-line message,
// e.g. `visits.csv:1234: column "Дата" (date): "31.02.2024" is not a valid date`.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A problem with the command line (option, option value, --where expression, template field).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown by output code when stdout is closed (EPIPE): main() ends quietly with exit 0.
struct OutputClosed : std::exception {
  const char* what() const noexcept override { return "output closed"; }
};

}  // namespace kartoteka
