// Whether to read on two threads: the one switch the record pipe and the whole-file UTF-8 check
// share, so KARTOTEKA_THREADS=1 keeps every part of reading to one thread.
#pragma once

namespace kartoteka {

// Two threads when the machine has two cores, unless KARTOTEKA_THREADS=1 (measuring, or a
// machine shared with other jobs).
bool use_two_threads();

}  // namespace kartoteka
