// SIM_ASSERT: the channel for our own bugs, as opposed to exceptions for bad input.
//
// Active in Debug builds and whenever INNOSIM_SANITY_CHECKS is defined (the `dev`, `asan` and
// `tsan` presets); compiled out of release builds so hot loops pay nothing. A failed assertion
// prints the condition and location and aborts: it means the code is wrong, not the scenario.
#pragma once

#include <cstdio>
#include <cstdlib>

#if !defined(NDEBUG) || defined(INNOSIM_SANITY_CHECKS)
#define SIM_ASSERTS_ENABLED 1
#define SIM_ASSERT(cond, msg)                                                                               \
  do {                                                                                                      \
    if (!(cond)) [[unlikely]] {                                                                             \
      std::fprintf(stderr, "%s:%d: internal error: assertion '%s' failed: %s\n", __FILE__, __LINE__, #cond, \
                   msg);                                                                                    \
      std::abort();                                                                                         \
    }                                                                                                       \
  } while (false)
#else
#define SIM_ASSERTS_ENABLED 0
// The condition is named inside sizeof, which never evaluates it: no run-time cost, and no
// "unused" warnings for variables only assertions look at.
#define SIM_ASSERT(cond, msg)                  \
  do {                                         \
    static_cast<void>(sizeof((cond) ? 1 : 0)); \
  } while (false)
#endif
