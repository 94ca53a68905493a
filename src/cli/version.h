// `kartoteka --version` (SPEC §9, §8.63).
#pragma once
#include <string>

namespace kartoteka {

// `kartoteka VERSION (COMMIT)`: VERSION is the CMake project version, COMMIT the git commit the
// binary was built from (`unknown` when built outside a git checkout).
std::string version_text();

}  // namespace kartoteka
