#include "cli/version.h"

#include "kartoteka_commit.h"  // generated at build time by cmake/commit.cmake

namespace kartoteka {

std::string version_text() {
  return std::string("kartoteka ") + KARTOTEKA_VERSION + " (" + KARTOTEKA_COMMIT + ")";
}

}  // namespace kartoteka
