// Cache hints: the one place the compiler's prefetch builtin is named (issue 29). Rules and
// models offer hint methods built on these (VisitFold::prefetch, ReferralFacts::prefetch, …) that
// only a reader's look-ahead calls — VisitObserver::ahead, prefetch_listed — never their own
// logic. A hint changes nothing: at worst a line is fetched that is not used.
//
// Mind GCC: it counts a function whose only effect is prefetching as pure, and drops a call to it
// where it sees the callee's body (same file, not inlined). A hint method is therefore the
// function its caller calls (or inline in a header), never a forwarder to another that prefetches.
#pragma once

namespace kartoteka {

// Asks for the cache line holding `p`, to be read soon.
[[gnu::always_inline]] inline void prefetch_read(const void* p) {
  __builtin_prefetch(p, 0);
}
// Asks for the cache line holding `p`, to be written soon.
[[gnu::always_inline]] inline void prefetch_write(const void* p) {
  __builtin_prefetch(p, 1);
}

}  // namespace kartoteka
