#include "tools/serve/serve_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <httplib.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "models/forkommune/params.hpp"
#include "output/comparison.hpp"
#include "output/labels.hpp"
#include "sim/process.hpp"
#include "sim/stats.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/comparison_job.hpp"
#include "tools/cli/stop_signals.hpp"
#include "tools/embedded.hpp"
#include "tools/report/assets.hpp"
#include "tools/report/report.hpp"
#include "tools/scenario/programme_scenario.hpp"
#include "tools/sweep/fnv1a.hpp"
#include "tools/version.hpp"

extern char** environ;

namespace innosim::tools {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
namespace fk = models::forkommune;

// The levers the explorer offers: parameter keys of the registry (their units, descriptions and
// sources come from it), plain labels in both languages, and the slider's range (within the
// registry's, narrowed to what a programme could do) and step. Booleans are switches.
struct Lever {
  const char* key;
  const char* en;
  const char* nb;
  double low, high, step;
};
constexpr Lever kLevers[] = {
    {"programme.budget_mnok_per_year", "Budget at full speed (MNOK a year)",
     "Budsjett i full drift (mill. kr i året)", 0, 240, 5},
    {"programme.share_pre_project", "Share for pre-projects", "Andel til forprosjekter", 0, 1, 0.01},
    {"programme.share_innovation_project", "Share for innovation projects", "Andel til innovasjonsprosjekter",
     0, 1, 0.01},
    {"programme.share_competence_project", "Share for competence projects", "Andel til kompetanseprosjekter",
     0, 1, 0.01},
    {"programme.share_arenas", "Share for arenas and brokers", "Andel til arenaer og meglere", 0, 1, 0.01},
    {"programme.quota_small_municipalities", "Innovation-project money kept for small municipalities",
     "Innovasjonsprosjektmidler holdt av til små kommuner", 0, 0.6, 0.05},
    {"programme.quota_newcomers", "Innovation-project money kept for newcomers",
     "Innovasjonsprosjektmidler holdt av til nye søkere", 0, 0.6, 0.05},
    {"arenas.brokers_per_county", "Competence brokers per county (at most)",
     "Kompetansemeglere per fylke (høyst)", 0, 6, 1},
    {"arenas.conference", "National conference", "Nasjonal konferanse", 0, 1, 1},
    {"arenas.regional", "Regional arenas", "Regionale arenaer", 0, 1, 1},
    {"arenas.network", "Researcher network", "Forskernettverk", 0, 1, 1},
    {"programme.carry_over", "Unspent money carried into the next year",
     "Ubrukte midler overføres til neste år", 0, 1, 1},
};

const Lever* find_lever(std::string_view key) {
  for (const Lever& l : kLevers) {
    if (key == l.key) return &l;
  }
  return nullptr;
}

// The built-in scenarios an explored scenario may start from.
std::vector<std::string> builtin_scenarios() {
  std::vector<std::string> names;
  for (const EmbeddedFile& e : embedded_files()) {
    if (e.path.starts_with("scenarios/forkommune/")) names.push_back(fs::path(e.path).stem().string());
  }
  return names;
}

// A lever's value in a scenario's parameters, as JSON (a number or a boolean).
json lever_value(const fk::Params& params, const Lever& lever) {
  fk::Params copy = params;
  const auto slot = fk::find_parameter(lever.key)->slot(copy);
  if (const auto* d = std::get_if<double*>(&slot)) return **d;
  if (const auto* b = std::get_if<bool*>(&slot)) return **b;
  if (const auto* i = std::get_if<std::int64_t*>(&slot)) return **i;
  return nullptr;
}

// JSON text; bytes that are not UTF-8 (a header, a path) become U+FFFD instead of throwing.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

class RequestError : public std::runtime_error {
 public:
  RequestError(int status, const std::string& what) : std::runtime_error(what), status_(status) {}
  [[nodiscard]] int status() const noexcept { return status_; }

 private:
  int status_;
};

// The explored scenario as YAML: the base with the levers that differ from it. Every value is
// checked against its lever's range and the whole against the model before anything runs.
struct Explored {
  std::string base;
  std::string yaml;         // empty when nothing differs from the base
  std::string description;  // plain words: what differs
};

Explored explored_scenario(const json& request) {
  Explored e;
  if (!request.contains("base") || !request["base"].is_string())
    throw RequestError(400, "base: give the name of a built-in scenario, e.g. \"baseline\"");
  e.base = request["base"].get<std::string>();
  const auto names = builtin_scenarios();
  if (std::find(names.begin(), names.end(), e.base) == names.end())
    throw RequestError(
        400, fmt::format("base '{}': not a built-in scenario ({})", e.base, fmt::join(names, ", ")));
  const ProgrammeScenario base = load_programme_scenario(e.base);
  std::map<std::string, std::map<std::string, std::string>> sections;
  std::vector<std::string> changes;
  if (request.contains("levers")) {
    if (!request["levers"].is_object()) throw RequestError(400, "levers: expected an object of key: value");
    for (const auto& [key, value] : request["levers"].items()) {
      const Lever* lever = find_lever(key);
      if (lever == nullptr)
        throw RequestError(400, fmt::format("levers: '{}' is not a lever of the explorer", key));
      const json current = lever_value(base.params, *lever);
      std::string text;
      if (current.is_boolean()) {
        if (!value.is_boolean())
          throw RequestError(400, fmt::format("levers.{}: expected true or false", key));
        if (value.get<bool>() == current.get<bool>()) continue;
        text = value.get<bool>() ? "true" : "false";
      } else {
        if (!value.is_number()) throw RequestError(400, fmt::format("levers.{}: expected a number", key));
        const double v = value.get<double>();
        if (!std::isfinite(v) || v < lever->low || v > lever->high)
          throw RequestError(400, fmt::format("levers.{} = {}: expected a number in [{}, {}]", key, v,
                                              lever->low, lever->high));
        if (v == current.get<double>()) continue;
        text = current.is_number_integer() ? fmt::format("{}", static_cast<std::int64_t>(std::llround(v)))
                                           : fmt::format("{}", v);
      }
      const std::string k(key);
      sections[k.substr(0, k.find('.'))][k.substr(k.find('.') + 1)] = text;
      changes.push_back(fmt::format("{} = {}", k, text));
    }
  }
  if (changes.empty()) return e;
  e.description = fmt::format("{} with {}", e.base, fmt::join(changes, ", "));
  // Quoted: the text holds ": " and "=" (the keys and values it names come from the lever table
  // and from numbers, so they hold no quote or backslash).
  std::string yaml = fmt::format("description: \"Explored in innosim serve: {}.\"\n", e.description);
  yaml += fmt::format("description_nb: \"Utforsket i innosim serve: {} med {}.\"\n", e.base,
                      fmt::join(changes, ", "));
  yaml += fmt::format("extends: {}\n", e.base);
  for (const auto& [section, keys] : sections) {
    yaml += section + ":\n";
    for (const auto& [k, v] : keys) yaml += fmt::format("  {}: {}\n", k, v);
  }
  // Load it as compare will, so that a combination the model refuses (shares that do not add
  // up) is a clear error now.
  try {
    (void)load_programme_scenario(parse_yaml(yaml, "explored.yaml"), ".");
  } catch (const std::exception& ex) {
    throw RequestError(400, ex.what());
  }
  e.yaml = std::move(yaml);
  return e;
}

// One comparison: the explored scenario (if it differs from its base), baseline and no-programme.
struct Job {
  std::string id;  // the fingerprint: 16 hex digits
  fs::path dir;
  Explored explored;
  std::uint64_t replicates = 0, seed = 0;
  std::atomic<bool> cancel{false};
  std::set<std::string> clients;  // who wait for it (guarded by the explorer's mutex)

  bool state_is(const char* s) {
    std::lock_guard lock(m);
    return state == s;
  }

  std::mutex m;
  std::condition_variable changed;
  std::string state = "queued";                            // queued, running, done, failed, cancelled
  std::string snapshot = dump(json{{"state", "queued"}});  // the latest JSON
  std::uint64_t version = 1;  // bumped with every snapshot; a new stream sends the current one first
};

// The comparison so far as JSON: every metric per scenario with its interval and the paired
// difference from the reference, additionality against no-programme, and the group differences.
json snapshot_json(const output::Comparison& c, std::size_t done, std::size_t total,
                   const std::string& state) {
  const auto& setup = c.setup();
  const auto en = programme_metrics(output::Language::kEnglish);
  const auto nb = programme_metrics(output::Language::kBokmal);
  // No interval from one replicate: a zero-width one would look like a clear result.
  auto interval = [&](const sim::RunningStats& s, double scale = 1) {
    if (s.count() < 2) return json::array({s.mean() * scale, nullptr, nullptr});
    const auto ci = sim::mean_interval(s);
    return json::array({s.mean() * scale, ci.low * scale, ci.high * scale});
  };
  json out = {{"state", state},
              {"done", done},
              {"total", total},
              {"scenarios", setup.scenarios},
              {"reference", setup.scenarios[setup.reference]}};
  json metrics = json::array();
  for (std::size_t m = 0; m < setup.metrics.size(); ++m) {
    json values = json::array();
    for (std::size_t s = 0; s < setup.scenarios.size(); ++s) {
      values.push_back({{"scenario", setup.scenarios[s]},
                        {"value", interval(c.value(s, m))},
                        {"difference", interval(c.difference(s, m))}});
    }
    metrics.push_back({{"indicator", setup.metrics[m].indicator},
                       {"label_en", m < en.size() ? en[m].label : setup.metrics[m].label},
                       {"label_nb", m < nb.size() ? nb[m].label : setup.metrics[m].label},
                       {"decimals", setup.metrics[m].decimals},
                       {"values", values}});
  }
  out["metrics"] = metrics;
  json groups = json::array();
  for (std::size_t g = 0; g < setup.groups.size(); ++g) {
    for (std::size_t s = 0; s < setup.scenarios.size(); ++s) {
      if (s == setup.reference) continue;
      groups.push_back({{"group", setup.groups[g]},
                        {"label_en", output::group_label(setup.groups[g], output::Language::kEnglish)},
                        {"label_nb", output::group_label(setup.groups[g], output::Language::kBokmal)},
                        {"scenario", setup.scenarios[s]},
                        {"difference", interval(c.group_difference(s, g))}});
    }
  }
  out["groups"] = groups;
  if (setup.counterfactual) {
    json extra = json::array();
    for (std::size_t s = 0; s < setup.scenarios.size(); ++s) {
      if (s == *setup.counterfactual) continue;
      const auto& r = c.cost_per_adoption(s);
      const auto ci = r.interval();
      extra.push_back(
          {{"scenario", setup.scenarios[s]},
           {"extra_adoptions", interval(c.extra_adoptions(s))},
           {"extra_mnok", interval(c.extra_money(s))},
           {"mnok_per_extra_adoption", ci ? json::array({r.ratio(), ci->low, ci->high}) : json(nullptr)}});
    }
    out["additionality"] = extra;
    out["counterfactual"] = setup.scenarios[*setup.counterfactual];
  }
  return out;
}

std::string fingerprint(const Explored& e, std::uint64_t replicates, std::uint64_t seed) {
  return fmt::format("{:016x}",
                     fnv1a(fmt::format("innosim serve 1\nbuild: {} {}\nbase: {}\n{}\nreplicates: {}\nseed: "
                                       "{}\n",
                                       version(), git_revision(), e.base, e.yaml, replicates, seed)));
}

// Writes `text` to `path` through a temporary file renamed into place.
void write_file(const fs::path& path, const std::string& text) {
  const fs::path temp = path.string() + fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream f(temp, std::ios::binary);
    f << text;
    if (!f) throw std::runtime_error(fmt::format("cannot write {}", temp.string()));
  }
  fs::rename(temp, path);
}

// Jobs the explorer keeps in memory at most (finished ones are dropped first).
constexpr std::size_t kMaxJobsInMemory = 512;
// Event streams open at once at most: each holds one of the server's threads while it waits.
constexpr int kMaxStreams = 48;

class Explorer {
 public:
  Explorer(const ServeOptions& o) : options_(o), root_(fs::absolute(o.dir)) {
    // Only this user may write here: another user who could plant files under the predictable
    // fingerprints could have them served as this explorer's pages.
    std::error_code ec;
    const bool made = fs::create_directories(root_, ec);
    if (ec)
      throw std::runtime_error(fmt::format("--dir {}: cannot create it: {}", root_.string(), ec.message()));
    if (made) fs::permissions(root_, fs::perms::owner_all, fs::perm_options::replace, ec);
    struct stat st {};
    if (::lstat(root_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() ||
        (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
      throw std::runtime_error(fmt::format(
          "--dir {}: must be a directory of yours that others cannot write to (not a symbolic link)",
          root_.string()));
    }
    worker_ = std::thread([this] { work(); });
  }
  Explorer(const Explorer&) = delete;
  Explorer& operator=(const Explorer&) = delete;
  ~Explorer() { stop(); }

  void stop() {
    std::vector<std::shared_ptr<Job>> all;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      stopped_ = true;
      for (auto& [id, job] : jobs_) {
        job->cancel = true;
        all.push_back(job);
      }
    }
    wake_.notify_all();
    for (const auto& job : all) {
      {
        std::lock_guard lock(job->m);
        ++job->version;
      }
      job->changed.notify_all();  // event streams wake, see stopping() and end
    }
    if (worker_.joinable()) worker_.join();
  }

  // A request: the job for its fingerprint (done from the cache, running, or queued anew), and
  // whether the result was already there. The client's earlier job is cancelled unless another
  // client waits for it too.
  std::pair<std::shared_ptr<Job>, bool> submit(const json& request) {
    const Explored explored = explored_scenario(request);
    const std::uint64_t replicates = request.value("replicates", std::uint64_t{20});
    if (replicates < 2 || replicates > options_.max_replicates)
      throw RequestError(
          400, fmt::format("replicates = {}: expected 2 to {}", replicates, options_.max_replicates));
    const std::uint64_t seed = request.value("seed", std::uint64_t{20261130});
    const std::string client = request.value("client", std::string());
    if (client.size() > 64) throw RequestError(400, "client: at most 64 characters");
    // Clients seen: bounded, dropping those whose comparison has ended.
    if (client_job_.size() > 4096) {
      for (auto it = client_job_.begin(); it != client_job_.end();) {
        const auto job = jobs_.find(it->second);
        it = job == jobs_.end() || finished(*job->second) ? client_job_.erase(it) : std::next(it);
      }
    }
    const std::string id = fingerprint(explored, replicates, seed);
    std::lock_guard lock(mutex_);
    if (stopping_) throw RequestError(503, "the explorer is stopping");
    // This client's earlier job: superseded.
    if (!client.empty()) {
      if (auto it = client_job_.find(client); it != client_job_.end() && it->second != id) {
        if (auto old = jobs_.find(it->second); old != jobs_.end()) {
          old->second->clients.erase(client);
          if (old->second->clients.empty() && !finished(*old->second)) {
            old->second->cancel = true;
            // A queued one leaves the queue now (a running one stops at its next replicate).
            std::erase(queue_, old->second);
            if (old->second->state_is("queued")) {
              publish(*old->second, "cancelled", dump(json{{"state", "cancelled"}}));
              jobs_.erase(old);
            }
          }
        }
      }
      client_job_[client] = id;
    }
    if (auto it = jobs_.find(id); it != jobs_.end() && !it->second->cancel) {
      if (!client.empty()) it->second->clients.insert(client);
      return {it->second, finished(*it->second)};
    }
    auto job = std::make_shared<Job>();
    job->id = id;
    job->dir = root_ / id;
    job->explored = explored;
    job->replicates = replicates;
    job->seed = seed;
    if (!client.empty()) job->clients.insert(client);
    // Done before, by this or an earlier server: the files are the result.
    if (fs::exists(job->dir / "summary.json") && fs::exists(job->dir / "result.h5")) {
      std::ifstream f(job->dir / "summary.json");
      std::stringstream text;
      text << f.rdbuf();
      job->snapshot = text.str();
      job->state = "done";
      jobs_[id] = job;
      return {job, true};
    }
    // The jobs kept in memory stay bounded: finished ones beyond the most recent are dropped
    // (their files stay, and a request for one reads them back).
    if (jobs_.size() >= kMaxJobsInMemory) {
      for (auto it = jobs_.begin(); it != jobs_.end() && jobs_.size() >= kMaxJobsInMemory / 2;) {
        it = finished(*it->second) ? jobs_.erase(it) : std::next(it);
      }
    }
    std::size_t waiting = 0;
    for (const auto& q : queue_) waiting += q->cancel ? 0U : 1U;
    if (waiting >= options_.queue)
      throw RequestError(503, "too many comparisons are waiting; try again shortly");
    jobs_[id] = job;
    queue_.push_back(job);
    wake_.notify_all();
    return {job, false};
  }

  std::shared_ptr<Job> find(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
  }

  void cancel(const std::string& id, const std::string& client) {
    std::lock_guard lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end() || client.empty()) return;
    it->second->clients.erase(client);
    if (it->second->clients.empty() && !finished(*it->second)) {
      it->second->cancel = true;
      std::erase(queue_, it->second);
    }
  }

  /// True once stop() began: event streams end.
  [[nodiscard]] bool stopping() const noexcept { return stopped_.load(); }

  [[nodiscard]] const fs::path& root() const noexcept { return root_; }

 private:
  static bool finished(Job& job) {
    std::lock_guard lock(job.m);
    return job.state == "done" || job.state == "failed";
  }

  static void publish(Job& job, const std::string& state, std::string snapshot) {
    {
      std::lock_guard lock(job.m);
      job.state = state;
      if (!snapshot.empty()) job.snapshot = std::move(snapshot);
      ++job.version;
    }
    job.changed.notify_all();
  }

  void work() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        job = queue_.front();
        queue_.pop_front();
      }
      if (job->cancel) {
        forget(job, "cancelled", dump(json{{"state", "cancelled"}}));
        continue;
      }
      run(job);
    }
  }

  void forget(const std::shared_ptr<Job>& job, const std::string& state, std::string snapshot) {
    publish(*job, state, std::move(snapshot));
    std::lock_guard lock(mutex_);
    if (auto it = jobs_.find(job->id); it != jobs_.end() && it->second == job) jobs_.erase(it);
  }

  void run(const std::shared_ptr<Job>& job) {
    publish(*job, "running", dump(json{{"state", "running"}, {"done", 0}, {"total", job->replicates}}));
    try {
      fs::create_directories(job->dir);
      CompareOptions o;
      if (!job->explored.yaml.empty()) {
        write_file(job->dir / "explored.yaml", job->explored.yaml);
        o.scenarios.push_back((job->dir / "explored.yaml").string());
      }
      for (const char* name : {"baseline", "no-programme"}) {
        if (job->explored.yaml.empty() && job->explored.base == name) continue;
        o.scenarios.emplace_back(name);
      }
      if (job->explored.yaml.empty() && job->explored.base != "baseline" &&
          job->explored.base != "no-programme")
        o.scenarios.insert(o.scenarios.begin(), job->explored.base);
      o.reference = "baseline";
      o.replicates = job->replicates;
      o.seed = job->seed;
      o.threads = options_.threads;
      o.quiet = true;
      o.output_path = (job->dir / "result.h5").string();
      o.report_path = (job->dir / "report.html").string();
      o.cancel = &job->cancel;
      o.cache = &replicates_;
      // At most ten snapshots a second reach the clients; the last one always does.
      auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
      o.on_replicate = [&](const output::Comparison& c, std::size_t done) {
        const auto now = std::chrono::steady_clock::now();
        if (done < job->replicates && now - last < std::chrono::milliseconds(100)) return;
        last = now;
        publish(*job, "running", dump(snapshot_json(c, done, job->replicates, "running")));
      };
      std::ostringstream out, err;
      compare_command(o, out, err);
      // The final numbers, from the comparison the report was drawn from.
      std::string final;
      {
        std::lock_guard lock(job->m);
        json last_snapshot = json::parse(job->snapshot);
        last_snapshot["state"] = "done";
        last_snapshot["summary"] = out.str();
        final = dump(last_snapshot);
      }
      write_file(job->dir / "summary.json", final);
      publish(*job, "done", final);
    } catch (const sim::Cancelled&) {
      forget(job, "cancelled", dump(json{{"state", "cancelled"}}));
    } catch (const Stopped&) {
      // The server is stopping (SIGINT or SIGTERM reached compare's own check).
      forget(job, "cancelled", dump(json{{"state", "cancelled"}}));
    } catch (const std::exception& e) {
      publish(*job, "failed",
              dump(json{{"state", "failed"}, {"error", e.what()}}));  // stays: late streams see why
    } catch (...) {
      publish(*job, "failed", dump(json{{"state", "failed"}, {"error", "internal error"}}));
    }
  }

  ServeOptions options_;
  fs::path root_;
  // Replicates of the scenarios compared so far: every request is compared with baseline and
  // no-programme, whose replicates are then taken from here (bitwise what running them gives).
  // A Norway replicate's series are about 0.6 MB; this keeps baseline's and no-programme's 100
  // each and the most recently explored scenarios'.
  ReplicateCache replicates_{std::size_t{192} << 20};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> stopped_{false};
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::map<std::string, std::string> client_job_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::thread worker_;
};

json info_json() {
  json levers = json::array();
  const fk::Params defaults;
  for (const Lever& l : kLevers) {
    const fk::ParamSpec* spec = fk::find_parameter(l.key);
    const json value = lever_value(defaults, l);
    levers.push_back({{"key", l.key},
                      {"label_en", l.en},
                      {"label_nb", l.nb},
                      {"type", value.is_boolean() ? "switch" : "number"},
                      {"min", l.low},
                      {"max", l.high},
                      {"step", l.step},
                      {"unit", std::string(spec->unit)},
                      {"help", std::string(spec->description)},
                      {"source", std::string(spec->source)}});
  }
  json scenarios = json::array();
  for (const auto& name : builtin_scenarios()) {
    const ProgrammeScenario s = load_programme_scenario(name);
    json values = json::object();
    for (const Lever& l : kLevers) values[l.key] = lever_value(s.params, l);
    scenarios.push_back({{"name", name},
                         {"description", s.description},
                         {"description_nb", s.description_nb},
                         {"programme", s.params.programme.enabled},
                         {"levers", values}});
  }
  return {{"innosim", fmt::format("{} {}", version(), git_revision())},
          {"levers", levers},
          {"scenarios", scenarios}};
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(dump(json{{"error", message}}), "application/json");
}

std::string read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream text;
  text << f.rdbuf();
  return text.str();
}

void open_browser(const std::string& url, std::ostream& err) {
  pid_t pid = 0;
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  if (::posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0) {
    fmt::print(err, "innosim serve: could not start xdg-open; open {} yourself\n", url);
    return;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
}

}  // namespace

int serve_command(const ServeOptions& o, std::ostream& out, std::ostream& err) {
  if (o.port < 0 || o.port > 65535) {
    fmt::print(err, "innosim serve: --port {}: expected 0 to 65535\n", o.port);
    return 2;
  }
  const auto app = embedded_file("tools/serve/app.html");
  if (!app) {
    fmt::print(err, "innosim serve: this innosim carries no explorer page\n");
    return 1;
  }
  const StopSignals signals;
  Explorer explorer(o);
  httplib::Server server;
  // Threads for connections: enough for kMaxStreams waiting event streams and the requests
  // around them, so that no client blocks the others.
  server.new_task_queue = [] { return new httplib::ThreadPool(kMaxStreams + 16); };
  std::atomic<int> streams{0};
  std::mutex reports;
  server.set_payload_max_length(std::size_t{64} * 1024);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  int port = o.port;
  if (port == 0) {
    port = server.bind_to_any_port(o.host);
  } else if (!server.bind_to_port(o.host, port)) {
    port = -1;
  }
  if (port < 0) {
    fmt::print(err, "innosim serve: cannot listen on {}:{} (in use, or not an address of this machine)\n",
               o.host, o.port);
    return 1;
  }
  // Only pages from this server may call it: a request names this server's host and port, and
  // a browser's Origin, when sent, is this server (DNS rebinding and cross-site requests fail).
  // IPv6 addresses are written in brackets in Host and Origin.
  auto host_port = [&](const std::string& h) {
    return h.find(':') != std::string::npos && !h.starts_with('[') ? fmt::format("[{}]:{}", h, port)
                                                                   : fmt::format("{}:{}", h, port);
  };
  std::set<std::string> hosts = {host_port(o.host)};
  if (o.host == "127.0.0.1" || o.host == "localhost" || o.host == "::1") {
    hosts.insert(host_port("127.0.0.1"));
    hosts.insert(host_port("localhost"));
    hosts.insert(host_port("::1"));
  }
  // --allow-host: the names a team server is reached under (directly or behind a proxy on the
  // standard ports).
  for (const auto& name : o.allow_hosts) {
    hosts.insert(host_port(name));
    hosts.insert(name);
  }
  server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    const std::string host = req.get_header_value("Host");
    if (!hosts.contains(host)) {
      send_error(res, 403, fmt::format("Host '{}' is not this server", host));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin");
      const std::string rest = origin.starts_with("http://")    ? origin.substr(7)
                               : origin.starts_with("https://") ? origin.substr(8)
                                                                : std::string();
      if (rest.empty() || !hosts.contains(rest)) {
        send_error(res, 403, fmt::format("requests from {} are refused", origin));
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const RequestError& e) {
          send_error(res, e.status(), e.what());
        } catch (const std::exception& e) {
          send_error(res, 500, e.what());
        } catch (...) {
          send_error(res, 500, "internal error");
        }
      });

  const std::string page(*app);
  server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    // Scripts from this server only; vega compiles its expressions, hence 'unsafe-eval'.
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' "
                   "'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'");
    res.set_content(page, "text/html; charset=utf-8");
  });
  const auto assets = report_assets();
  server.Get(R"(/assets/(vega|vega-lite|vega-embed)\.js)",
             [&](const httplib::Request& req, httplib::Response& res) {
               const std::string which = req.matches[1];
               std::string_view js = which == "vega"        ? assets.vega
                                     : which == "vega-lite" ? assets.vega_lite
                                                            : assets.vega_embed;
               if (const auto at = js.rfind("//# sourceMappingURL="); at != std::string_view::npos)
                 js = js.substr(0, at);
               res.set_header("Cache-Control", "max-age=86400");
               res.set_content(std::string(js), "text/javascript");
             });
  const std::string info = dump(info_json());
  server.Get("/api/info", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(info, "application/json");
  });
  server.Post("/api/jobs", [&](const httplib::Request& req, httplib::Response& res) {
    std::string type = req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type != "application/json") return send_error(res, 415, "send the request as application/json");
    json request;
    try {
      request = json::parse(req.body);
    } catch (const json::exception& e) {
      return send_error(res, 400, fmt::format("the request is not JSON: {}", e.what()));
    }
    if (!request.is_object()) return send_error(res, 400, "the request must be a JSON object");
    try {
      const auto [job, cached] = explorer.submit(request);
      res.status = cached ? 200 : 202;
      res.set_content(dump(json{{"id", job->id}, {"cached", cached}}), "application/json");
    } catch (const json::exception& e) {
      send_error(res, 400, fmt::format("a value has the wrong type: {}", e.what()));
    }
  });
  server.Get(R"(/api/jobs/([0-9a-f]{16}))", [&](const httplib::Request& req, httplib::Response& res) {
    const auto job = explorer.find(req.matches[1]);
    if (!job) return send_error(res, 404, "no such comparison");
    std::lock_guard lock(job->m);
    res.set_content(job->snapshot.empty() ? dump(json{{"state", job->state}}) : job->snapshot,
                    "application/json");
  });
  server.Delete(R"(/api/jobs/([0-9a-f]{16}))", [&](const httplib::Request& req, httplib::Response& res) {
    explorer.cancel(req.matches[1], req.get_param_value("client"));
    res.status = 204;
  });
  // Server-sent events: a snapshot whenever the comparison moves on, until it ends.
  server.Get(R"(/api/jobs/([0-9a-f]{16})/events)", [&](const httplib::Request& req, httplib::Response& res) {
    const auto job = explorer.find(req.matches[1]);
    if (!job) return send_error(res, 404, "no such comparison");
    if (streams.fetch_add(1) >= kMaxStreams) {
      streams.fetch_sub(1);
      return send_error(res, 503, "too many open event streams; poll /api/jobs/ID instead");
    }
    auto seen = std::make_shared<std::uint64_t>(0);
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider(
        "text/event-stream",
        [job, seen, &explorer](std::size_t, httplib::DataSink& sink) {
          if (explorer.stopping()) {
            sink.done();
            return true;
          }
          std::string snapshot, state;
          {
            std::unique_lock lock(job->m);
            job->changed.wait_for(lock, std::chrono::seconds(15), [&] { return job->version != *seen; });
            if (job->version == *seen) {
              const std::string ping = ": still running\n\n";  // keeps proxies and the browser patient
              return sink.write(ping.data(), ping.size());
            }
            *seen = job->version;
            snapshot = job->snapshot;
            state = job->state;
          }
          const std::string event = fmt::format("event: {}\ndata: {}\n\n", state, snapshot);
          if (!sink.write(event.data(), event.size())) return false;
          if (state == "done" || state == "failed" || state == "cancelled") sink.done();
          return true;
        },
        [&streams](bool) { streams.fetch_sub(1); });
  });
  // The files of a finished comparison: names fixed here, in the comparison's own directory.
  server.Get(R"(/api/jobs/([0-9a-f]{16})/(report\.html|report-nb\.html|explored\.yaml|result\.h5))",
             [&](const httplib::Request& req, httplib::Response& res) {
               const std::string id = req.matches[1], name = req.matches[2];
               const fs::path dir = explorer.root() / id;
               std::error_code ec;
               if (!fs::is_regular_file(fs::symlink_status(dir / "summary.json", ec)) ||
                   fs::is_symlink(fs::symlink_status(dir, ec)))
                 return send_error(res, 404, "this comparison has not finished");
               if (name == "report-nb.html") {
                 // Made once, on the first request for it.
                 std::lock_guard lock(reports);
                 if (!fs::exists(dir / name))
                   write_report_file(dir / "result.h5", dir / name, output::Language::kBokmal);
               }
               if (!fs::is_regular_file(fs::symlink_status(dir / name, ec)))
                 return send_error(res, 404, "this comparison has no such file");
               const char* type = name.ends_with(".html")   ? "text/html; charset=utf-8"
                                  : name.ends_with(".yaml") ? "text/yaml; charset=utf-8"
                                                            : "application/x-hdf5";
               if (!name.ends_with(".html"))
                 res.set_header("Content-Disposition",
                                fmt::format("attachment; filename=\"innosim-{}-{}\"", id, name));
               res.set_content(read_file(dir / name), type);
             });

  const std::string url = fmt::format("http://{}:{}/", o.host == "::1" ? "[::1]" : o.host, port);
  fmt::print(out, "innosim serve: the explorer is at {} (Ctrl-C to stop); results in {}\n", url,
             explorer.root().string());
  if (o.host != "127.0.0.1" && o.host != "localhost" && o.host != "::1") {
    fmt::print(
        err,
        "innosim serve: warning: listening on {}, not only on this machine: anyone who reaches it can run "
        "comparisons on it (docs/explorer.md)\n",
        o.host);
  }
  out.flush();
  if (o.open) open_browser(url, err);
  // Stops on SIGINT or SIGTERM: the flag is polled, the server stopped, the comparison cancelled.
  std::atomic<bool> listening{true};
  std::thread watcher([&] {
    while (listening && !StopSignals::stopped()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    explorer.stop();  // cancels the comparison and ends the event streams
    server.stop();
  });
  server.listen_after_bind();
  listening = false;
  watcher.join();
  fmt::print(out, "innosim serve: stopped\n");
  return 0;
}

}  // namespace innosim::tools
