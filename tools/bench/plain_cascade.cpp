// The yardstick for whole-process times: a plain C++ program that reads an edge list and a
// seed file and runs a linear threshold or independent cascade on it, as a programmer would
// write it in an afternoon, sharing no code with innosim.
//
// Reading: the file in 1 MiB blocks with fread, integers parsed by hand, edges pushed into a
// vector reserved from the file size (pages never touched cost no memory). No checks beyond
// what the loop needs: no repeated-edge or self-loop detection. Graph: undirected CSR by a
// counting sort. Linear threshold: agent v adopts once k of its d neighbours have adopted,
// with k the smallest whole number >= 1 and >= theta * d (the kernel's exact definition, here
// computed once per agent); synchronous updates. Independent cascade: each new adopter tries
// each neighbour that has not adopted once, with probability p, from its own xoshiro256**
// stream (Blackman & Vigna 2018), so the adopters differ from innosim's; only the sizes are
// comparable.
//
//   plain-cascade lt THETA EDGE_FILE SEED_FILE
//   plain-cascade ic P SEED EDGE_FILE SEED_FILE
//
// Prints the adopters, the steps until no change and the arcs scanned, and on stderr the
// reading, building and running times.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "plain-cascade: %s\n", what.c_str());
  std::exit(1);
}

// Calls number(value) for every whole number in the file; '#' starts a comment to the end of
// the line.
template <class Number>
void read_numbers(const char* path, Number&& number) {
  std::FILE* in = std::fopen(path, "rb");
  if (in == nullptr) die(std::string("cannot open ") + path);
  std::vector<char> block(1 << 20);
  std::uint64_t value = 0;
  bool in_number = false;
  bool comment = false;
  for (;;) {
    const std::size_t got = std::fread(block.data(), 1, block.size(), in);
    if (got == 0) break;
    for (std::size_t i = 0; i < got; ++i) {
      const char c = block[i];
      if (comment) {
        comment = c != '\n';
      } else if (c >= '0' && c <= '9') {
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
        in_number = true;
      } else {
        if (in_number) number(value);
        value = 0;
        in_number = false;
        comment = c == '#';
      }
    }
  }
  if (in_number) number(value);
  std::fclose(in);
}

long file_size(const char* path) {
  std::FILE* in = std::fopen(path, "rb");
  if (in == nullptr) die(std::string("cannot open ") + path);
  std::fseek(in, 0, SEEK_END);
  const long size = std::ftell(in);
  std::fclose(in);
  return size;
}

struct Graph {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> targets;
};

// xoshiro256** seeded by splitmix64.
struct Xoshiro {
  std::uint64_t s[4];
  explicit Xoshiro(std::uint64_t seed) {
    for (auto& word : s) {
      std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

std::uint64_t need_of(double theta, std::uint64_t degree) {
  const double target = theta * static_cast<double>(degree);
  auto k = static_cast<std::uint64_t>(std::ceil(target));
  while (k > 0 && static_cast<double>(k - 1) >= target) --k;
  while (static_cast<double>(k) < target) ++k;
  return k < 1 ? 1 : k;
}

}  // namespace

int main(int argc, char** argv) {
  const bool lt = argc == 5 && std::strcmp(argv[1], "lt") == 0;
  const bool ic = argc == 6 && std::strcmp(argv[1], "ic") == 0;
  if (!lt && !ic) {
    std::fprintf(stderr,
                 "usage: plain-cascade lt THETA EDGE_FILE SEED_FILE\n"
                 "       plain-cascade ic P SEED EDGE_FILE SEED_FILE\n");
    return 2;
  }
  const double parameter = std::strtod(argv[2], nullptr);
  const char* edge_file = argv[lt ? 3 : 4];
  const char* seed_file = argv[lt ? 4 : 5];

  const auto start = Clock::now();
  std::vector<std::uint32_t> ends;  // u0 v0 u1 v1 ...
  ends.reserve(static_cast<std::size_t>(file_size(edge_file)) / 2);
  std::uint32_t n = 0;
  read_numbers(edge_file, [&](std::uint64_t v) {
    ends.push_back(static_cast<std::uint32_t>(v));
    if (v + 1 > n) n = static_cast<std::uint32_t>(v + 1);
  });
  if (ends.size() % 2 != 0) die("odd number of ids in the edge list");
  std::vector<std::uint32_t> seeds;
  read_numbers(seed_file, [&](std::uint64_t v) {
    if (v >= n) die("seed id out of range");
    seeds.push_back(static_cast<std::uint32_t>(v));
  });
  const double read_s = since(start);

  const auto build_start = Clock::now();
  Graph g;
  g.offsets.assign(std::size_t{n} + 1, 0);
  for (const std::uint32_t v : ends) ++g.offsets[v + 1];
  for (std::size_t v = 0; v < n; ++v) g.offsets[v + 1] += g.offsets[v];
  g.targets.resize(ends.size());
  {
    std::vector<std::uint64_t> fill(g.offsets.begin(), g.offsets.end() - 1);
    for (std::size_t i = 0; i < ends.size(); i += 2) {
      g.targets[fill[ends[i]]++] = ends[i + 1];
      g.targets[fill[ends[i + 1]]++] = ends[i];
    }
  }
  std::vector<std::uint32_t>().swap(ends);
  const double build_s = since(build_start);

  const auto run_start = Clock::now();
  std::vector<std::int32_t> step(n, -1);
  std::vector<std::uint32_t> frontier;
  std::vector<std::uint32_t> next;
  std::uint64_t adopters = 0;
  for (const std::uint32_t s : seeds) {
    if (step[s] < 0) {
      step[s] = 0;
      frontier.push_back(s);
      ++adopters;
    }
  }
  std::uint64_t arcs = 0;
  std::int32_t t = 0;
  if (lt) {
    std::vector<std::uint32_t> need(n);
    std::vector<std::uint32_t> count(n, 0);
    for (std::uint32_t v = 0; v < n; ++v) {
      need[v] = static_cast<std::uint32_t>(need_of(parameter, g.offsets[v + 1] - g.offsets[v]));
    }
    while (!frontier.empty()) {
      ++t;
      next.clear();
      for (const std::uint32_t u : frontier) {
        for (std::uint64_t i = g.offsets[u]; i < g.offsets[u + 1]; ++i) {
          const std::uint32_t v = g.targets[i];
          ++arcs;
          if (step[v] < 0 && ++count[v] == need[v]) {
            step[v] = t;
            next.push_back(v);
          }
        }
      }
      adopters += next.size();
      frontier.swap(next);
    }
  } else {
    Xoshiro rng(std::strtoull(argv[3], nullptr, 10));
    const auto threshold = static_cast<std::uint64_t>(parameter * 18446744073709551616.0);
    while (!frontier.empty()) {
      ++t;
      next.clear();
      for (const std::uint32_t u : frontier) {
        for (std::uint64_t i = g.offsets[u]; i < g.offsets[u + 1]; ++i) {
          const std::uint32_t v = g.targets[i];
          ++arcs;
          // No draw for a neighbour that has adopted: it cannot adopt again.
          if (step[v] < 0 && rng.next() < threshold) {
            step[v] = t;
            next.push_back(v);
          }
        }
      }
      adopters += next.size();
      frontier.swap(next);
    }
  }
  const double run_s = since(run_start);
  std::printf("nodes %u edges %zu seeds %zu adopters %llu steps %d arcs_scanned %llu\n", n,
              g.targets.size() / 2, seeds.size(), static_cast<unsigned long long>(adopters), t - 1,
              static_cast<unsigned long long>(arcs));
  std::fprintf(stderr, "plain-cascade: read %.3f s, build %.3f s, run %.3f s\n", read_s, build_s, run_s);
  return 0;
}
