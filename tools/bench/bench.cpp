// innosim-bench: timings for docs/performance.md. Not a test: it measures, and says how.
//
//   innosim-bench cascade --model ic --nodes 1e6 --threads 1 2 --repeats 5
//
// `cascade` times the independent cascade (p = 0.05) or the linear threshold model
// (theta = 0.2) on a Barabási–Albert graph (m = 5) from 1 % random seeds, run to the end of the
// cascade, with the independent bare serial loop of bare_cascades.hpp and with the kernel at
// each thread count, taking turns. Graph generation is not timed. It prints one tab-separated
// line per implementation: its adopters and arcs visited (arcs scanned from adopters; the bare
// independent cascade draws its own coins, so its cascade differs and times are compared per
// arc), the median, best and worst wall time of the repeats and the median CPU time (all
// threads, getrusage), and memory: the graph's arrays, the run's state, and the process's peak
// resident set.
#include <fmt/format.h>
#include <sys/resource.h>
#include <tbb/global_control.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

#include "models/diffusion/classic.hpp"
#include "sim/ensemble.hpp"
#include "tools/bench/bare_cascades.hpp"

namespace {

using namespace innosim;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

struct Timing {
  double cold_seconds = 0;  ///< the first run in the process: memory not yet allocated
  std::vector<double> seconds;
  std::vector<double> cpu;  ///< CPU time of the process (all threads) during each run
  std::uint64_t adopters = 0;
  std::uint64_t arcs = 0;
  std::size_t state_bytes = 0;
};

template <class Run>
void time_once(Timing& t, Run&& run) {
  const double cpu_start = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  const bench::BareResult r = run();
  t.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  t.cpu.push_back(cpu_seconds() - cpu_start);
  t.adopters = r.adopters;
  t.arcs = r.arcs_visited;
  t.state_bytes = r.state_bytes;
}

int cascade(const std::string& model, double nodes_d, const std::vector<unsigned>& thread_counts, int repeats,
            bool header) {
  const auto n = static_cast<sim::AgentId>(nodes_d);
  const sim::Seed seed = 20261130;
  const sim::RngKey key{seed, 0};

  // 1. The graph (not timed).
  const auto gen_start = std::chrono::steady_clock::now();
  const models::Graph graph = models::make_graph(models::BarabasiAlbertParams{n, 5}, key);
  const double gen_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - gen_start).count();
  const sim::CsrView g = graph.layer().view();
  models::SeedingParams seeding;
  seeding.fraction = 0.01;
  const std::vector<sim::AgentId> seeds = models::choose_seeds(seeding, graph, key);

  models::ModelParams params;
  if (model == "ic") {
    models::IndependentCascadeParams p;
    p.p_transmit = 0.05;
    params = p;
  } else {
    models::LinearThresholdParams p;
    p.thresholds = models::LinearThresholdParams::Thresholds::kFixed;
    p.threshold_fraction = 0.2;
    params = p;
  }

  // 2. The runs: the bare loops and the kernel at each thread count take turns, so drift in the
  //    machine's speed spreads over all of them; the first round is reported apart as the cold
  //    start (allocating and first touching memory).
  //    A kernel run is make_process + start + ticks until the cascade is over.
  std::unique_ptr<models::DiffusionProcess> last;
  auto run_kernel = [&] {
    auto process = models::make_process(params, graph, seeds, key);
    process->start();
    for (sim::Step t = 1; !process->quiescent(); ++t) process->advance(t);
    bench::BareResult r;
    r.adopters = process->num_adopters();
    r.state_bytes = process->state_bytes();
    last = std::move(process);
    return r;
  };
  bench::BareWorkspace<bench::PlainVector> plain;
  bench::BareWorkspace<sim::StateVector> huge;
  auto run_bare = [&] {
    return model == "ic" ? bench::bare_independent_cascade(g, seeds, 0.05, seed, plain)
                         : bench::bare_linear_threshold(g, seeds, 0.2, plain);
  };
  auto run_bare_hp = [&] {
    return model == "ic" ? bench::bare_independent_cascade(g, seeds, 0.05, seed, huge)
                         : bench::bare_linear_threshold(g, seeds, 0.2, huge);
  };
  Timing bare;
  Timing bare_hp;
  std::vector<Timing> kernel(thread_counts.size());
  // The order rotates from round to round, so no implementation always runs first or last.
  const std::size_t num_impls = 2 + thread_counts.size();
  for (int round = 0; round <= repeats; ++round) {
    for (std::size_t j = 0; j < num_impls; ++j) {
      const std::size_t impl = (j + static_cast<std::size_t>(round)) % num_impls;
      if (impl == 0) {
        time_once(bare, run_bare);
      } else if (impl == 1) {
        time_once(bare_hp, run_bare_hp);
      } else {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, thread_counts[impl - 2]);
        time_once(kernel[impl - 2], run_kernel);
      }
    }
    if (round == 0) {  // the warm-up round: kept apart as the cold start
      for (Timing* x : {&bare, &bare_hp}) {
        x->cold_seconds = x->seconds.front();
        x->seconds.clear();
        x->cpu.clear();
      }
      for (auto& k : kernel) {
        k.cold_seconds = k.seconds.front();
        k.seconds.clear();
        k.cpu.clear();
      }
    }
  }
  // Arcs visited: every adopter scans its out-arcs once (counted after the clocks stopped).
  std::uint64_t arcs = 0;
  for (sim::AgentId v = 0; v < n; ++v) {
    if (last->adoption_steps()[v] != sim::kNever) arcs += g.degree(v);
  }
  for (auto& k : kernel) k.arcs = arcs;
  // Linear threshold with a fixed theta is deterministic: both must reach the same adopters.
  // The bare independent cascade draws its own coins; only its scale can be compared.
  if (model == "lt" && (bare.adopters != kernel[0].adopters || bare.arcs != arcs)) {
    std::fprintf(stderr, "innosim-bench: kernel and bare loop disagree (%llu vs %llu adopters)\n",
                 static_cast<unsigned long long>(kernel[0].adopters),
                 static_cast<unsigned long long>(bare.adopters));
    return 1;
  }

  if (header) {
    fmt::print(
        "model\tnodes\tarcs\timplementation\tthreads\tmedian_s\tbest_s\tcold_s\tarcs_visited\tarcs_per_s\t"
        "adopters\tgraph_MiB\tstate_MiB\tpeak_rss_MiB\tgeneration_s\tworst_s\tmedian_cpu_s\n");
  }
  const double graph_mib = static_cast<double>(graph.layer().memory_bytes()) / 1048576.0;
  auto row = [&](const char* impl, unsigned t, const Timing& x) {
    const double med = median(x.seconds);
    fmt::print(
        "{}\t{}\t{}\t{}\t{}\t{:.6f}\t{:.6f}\t{:.6f}\t{}\t{:.3e}\t{}\t{:.1f}\t{:.1f}\t{:.0f}\t{:.2f}\t{:.6f}"
        "\t{:.6f}\n",
        model, n, g.num_arcs(), impl, t, med, *std::min_element(x.seconds.begin(), x.seconds.end()),
        x.cold_seconds, x.arcs, static_cast<double>(x.arcs) / med, x.adopters, graph_mib,
        static_cast<double>(x.state_bytes) / 1048576.0, peak_rss_mib(), gen_seconds,
        *std::max_element(x.seconds.begin(), x.seconds.end()), median(x.cpu));
  };
  row("bare", 1, bare);
  row("bare-hugepages", 1, bare_hp);
  for (std::size_t i = 0; i < thread_counts.size(); ++i) row("kernel", thread_counts[i], kernel[i]);
  return 0;
}

// Replicates per second of a whole ensemble on one graph: replicate r draws its own seeds
// and coins; replicates run side by side (sim::run_ensemble), each also free to use the
// threads inside. This is how small graphs use several cores.
int ensemble(const std::string& model, double nodes_d, const std::vector<unsigned>& thread_counts,
             unsigned replicates, int repeats, bool header) {
  const auto n = static_cast<sim::AgentId>(nodes_d);
  const sim::Seed seed = 20261130;
  const models::Graph graph = models::make_graph(models::BarabasiAlbertParams{n, 5}, {seed, 0});
  models::SeedingParams seeding;
  seeding.fraction = 0.01;
  models::ModelParams params;
  if (model == "ic") {
    models::IndependentCascadeParams p;
    p.p_transmit = 0.05;
    params = p;
  } else {
    models::LinearThresholdParams p;
    p.thresholds = models::LinearThresholdParams::Thresholds::kFixed;
    p.threshold_fraction = 0.2;
    params = p;
  }
  std::vector<std::vector<double>> seconds(thread_counts.size());
  std::vector<double> total_adopters(thread_counts.size());
  for (int round = 0; round <= repeats; ++round) {
    for (std::size_t i = 0; i < thread_counts.size(); ++i) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism, thread_counts[i]);
      double adopters = 0;
      const auto start = std::chrono::steady_clock::now();
      sim::run_ensemble<std::uint64_t>(
          0, replicates, thread_counts[i],
          [&](sim::Replicate r) -> std::uint64_t {
            const sim::RngKey key{seed, r};
            auto process =
                models::make_process(params, graph, models::choose_seeds(seeding, graph, key), key);
            process->start();
            for (sim::Step t = 1; !process->quiescent(); ++t) process->advance(t);
            return process->num_adopters();
          },
          [&](sim::Replicate, std::uint64_t&& a) { adopters += static_cast<double>(a); });
      if (round > 0)
        seconds[i].push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      total_adopters[i] = adopters;
    }
  }
  if (header)
    fmt::print(
        "model\tnodes\treplicates\tthreads\tmedian_s\treplicates_per_s\tmean_adopters\tpeak_rss_MiB\n");
  for (std::size_t i = 0; i < thread_counts.size(); ++i) {
    if (total_adopters[i] != total_adopters[0]) {
      std::fprintf(stderr, "innosim-bench: ensembles differ between thread counts\n");
      return 1;
    }
    const double med = median(seconds[i]);
    fmt::print("{}\t{}\t{}\t{}\t{:.4f}\t{:.1f}\t{:.1f}\t{:.0f}\n", model, n, replicates, thread_counts[i],
               med, replicates / med, total_adopters[i] / replicates, peak_rss_mib());
  }
  return 0;
}

}  // namespace

namespace {

int bench_main(int argc, char** argv) {
  CLI::App app{"innosim-bench: benchmarks behind docs/performance.md", "innosim-bench"};
  app.require_subcommand(1);
  std::string model = "ic";
  double nodes = 1e5;
  std::vector<unsigned> threads = {1, 2};
  int repeats = 3;
  bool header = false;
  CLI::App* c = app.add_subcommand("cascade",
                                   "IC (p = 0.05) or LT (theta = 0.2) on Barabasi-Albert (m = 5), 1 % seeds");
  c->add_option("--model", model, "ic or lt")->check(CLI::IsMember({"ic", "lt"}));
  c->add_option("--nodes", nodes, "graph size (1e5, 1e6, 1e7)")->check(CLI::Range(100.0, 2e9));
  c->add_option("--threads", threads, "thread counts for the kernel (default 1 2)")
      ->check(CLI::Range(1U, 256U));
  c->add_option("--repeats", repeats, "timed runs of each implementation")->check(CLI::Range(1, 100));
  c->add_flag("--header", header, "print the column names first");
  unsigned replicates = 40;
  CLI::App* e =
      app.add_subcommand("ensemble", "replicates per second of the same cascades, replicates in parallel");
  e->add_option("--model", model, "ic or lt")->check(CLI::IsMember({"ic", "lt"}));
  e->add_option("--nodes", nodes, "graph size")->check(CLI::Range(100.0, 2e9));
  e->add_option("--threads", threads, "thread counts (default 1 2)")->check(CLI::Range(1U, 256U));
  e->add_option("--replicates", replicates, "replicates per ensemble")->check(CLI::Range(1U, 1000000U));
  e->add_option("--repeats", repeats, "timed ensembles")->check(CLI::Range(1, 100));
  e->add_flag("--header", header, "print the column names first");
  CLI11_PARSE(app, argc, argv);
  if (*e) return ensemble(model, nodes, threads, replicates, repeats, header);
  return cascade(model, nodes, threads, repeats, header);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return bench_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "innosim-bench: %s\n", e.what());
  } catch (...) {
    std::fputs("innosim-bench: unknown error\n", stderr);
  }
  return 1;
}
