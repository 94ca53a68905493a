// A main() for the fuzz harnesses in builds without libFuzzer (gcc, Release, ASan): runs
// LLVMFuzzerTestOneInput once on every file named on the command line (directories are walked),
// so kept crash inputs (tests/fuzz/regressions/<harness>/) and the seed corpus are replayed by
// ctest in every build.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

static int run_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", p.c_str());
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

int main(int argc, char** argv) {
  int failed = 0, ran = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (!fs::exists(arg)) continue;  // an empty regressions folder is fine
    if (fs::is_directory(arg)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(arg))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.')
          files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) failed += run_file(f), ++ran;
    } else {
      failed += run_file(arg), ++ran;
    }
  }
  std::printf("replayed %d inputs\n", ran);
  return failed ? 1 : 0;
}
