// FNV-1a, 64 bits: the sweep's fingerprint and the journal's record checksums. Not a
// cryptographic hash: it guards against torn writes and mixed-up files, not against tampering.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace innosim::tools {

inline constexpr std::uint64_t kFnv1aBasis = 0xcbf29ce484222325ULL;

[[nodiscard]] inline std::uint64_t fnv1a(std::span<const unsigned char> bytes,
                                         std::uint64_t h = kFnv1aBasis) {
  for (const unsigned char b : bytes) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  return h;
}

[[nodiscard]] inline std::uint64_t fnv1a(std::string_view text) {
  return fnv1a({reinterpret_cast<const unsigned char*>(text.data()), text.size()});
}

}  // namespace innosim::tools
