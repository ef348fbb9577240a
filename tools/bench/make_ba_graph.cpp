// Writes a Barabási–Albert graph as a whitespace edge list ("u v" per line), and optionally a
// seed file of distinct random node ids, for the whole-process benchmarks (run-edge-list).
//
// Independent of innosim's code on purpose: the graph is the input both programs read, so it
// must not come from either. Preferential attachment as in Batagelj & Brandes (2005, Phys. Rev.
// E 71, 036113): start from a complete graph on m + 1 nodes; each later node links to m
// distinct earlier nodes, each drawn as a uniform endpoint of the edges so far. Random numbers
// from splitmix64 (Steele, Lea & Flood 2014).
//
//   make-ba-graph NODES EDGES_PER_NODE SEED EDGE_FILE [SEED_COUNT SEED_FILE]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) up to a bias below n / 2^64.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

void put(std::FILE* out, std::uint32_t u, std::uint32_t v) {
  char line[32];
  const int len = std::snprintf(line, sizeof line, "%u %u\n", u, v);
  std::fwrite(line, 1, static_cast<std::size_t>(len), out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 && argc != 7) {
    std::fprintf(stderr, "usage: make-ba-graph NODES EDGES_PER_NODE SEED EDGE_FILE [SEED_COUNT SEED_FILE]\n");
    return 2;
  }
  const auto n = static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10));
  const auto m = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
  SplitMix64 rng{std::strtoull(argv[3], nullptr, 10)};
  if (m < 1 || n <= m) {
    std::fprintf(stderr, "make-ba-graph: need NODES > EDGES_PER_NODE >= 1\n");
    return 2;
  }
  std::FILE* out = std::fopen(argv[4], "wb");
  if (out == nullptr) {
    std::perror(argv[4]);
    return 1;
  }
  static char buffer[1 << 20];
  std::setvbuf(out, buffer, _IOFBF, sizeof buffer);
  std::vector<std::uint32_t> ends;  // both endpoints of every edge so far
  ends.reserve(2 * static_cast<std::size_t>(n) * m);
  for (std::uint32_t u = 0; u <= m; ++u) {
    for (std::uint32_t v = u + 1; v <= m; ++v) {
      put(out, u, v);
      ends.push_back(u);
      ends.push_back(v);
    }
  }
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t v = m + 1; v < n; ++v) {
    chosen.clear();
    while (chosen.size() < m) {
      const std::uint32_t u = ends[rng.below(ends.size())];
      bool repeat = false;
      for (const std::uint32_t c : chosen) repeat = repeat || c == u;
      if (!repeat) chosen.push_back(u);
    }
    for (const std::uint32_t u : chosen) {
      put(out, v, u);
      ends.push_back(v);
      ends.push_back(u);
    }
  }
  if (std::fclose(out) != 0) {
    std::perror(argv[4]);
    return 1;
  }
  if (argc == 7) {
    // Distinct ids by a partial Fisher–Yates shuffle, written in the order drawn.
    const auto k = static_cast<std::uint32_t>(std::strtoul(argv[5], nullptr, 10));
    std::vector<std::uint32_t> ids(n);
    for (std::uint32_t i = 0; i < n; ++i) ids[i] = i;
    std::FILE* seeds = std::fopen(argv[6], "wb");
    if (seeds == nullptr) {
      std::perror(argv[6]);
      return 1;
    }
    std::fprintf(seeds, "# %u random seed ids of the graph in %s\n", k, argv[4]);
    for (std::uint32_t i = 0; i < k && i < n; ++i) {
      const auto j = static_cast<std::uint32_t>(i + rng.below(n - i));
      std::swap(ids[i], ids[j]);
      std::fprintf(seeds, "%u\n", ids[i]);
    }
    if (std::fclose(seeds) != 0) {
      std::perror(argv[6]);
      return 1;
    }
  }
  return 0;
}
