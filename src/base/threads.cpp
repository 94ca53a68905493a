#include "base/threads.h"

#include <cstdlib>
#include <string_view>
#include <thread>

namespace kartoteka {

bool use_two_threads() {
  const char* threads = std::getenv("KARTOTEKA_THREADS");
  return std::thread::hardware_concurrency() >= 2 && !(threads && std::string_view(threads) == "1");
}

}  // namespace kartoteka
