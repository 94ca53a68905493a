// Cache hints: the one place the compiler's prefetch builtin is named (issue 29). Rules and
// models offer hint methods built on these (VisitFold::prefetch, ReferralFacts::prefetch, …) that
// only a reader's look-ahead calls — VisitObserver::ahead, prefetch_listed — never their own
// logic. A hint changes nothing: at worst a line is fetched that is not used.
#pragma once

namespace kartoteka {

// Asks for the cache line holding `p`, to be read soon.
inline void prefetch_read(const void* p) {
  __builtin_prefetch(p, 0);
}
// Asks for the cache line holding `p`, to be written soon.
inline void prefetch_write(const void* p) {
  __builtin_prefetch(p, 1);
}

}  // namespace kartoteka
