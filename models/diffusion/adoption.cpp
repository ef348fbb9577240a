// DiffusionProcess: the step loop shared by the classic models.
#include "models/diffusion/adoption.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace innosim::models {

DiffusionProcess::DiffusionProcess(Graph graph, std::vector<sim::AgentId> seeds, const sim::RngKey& key)
    : graph_(std::move(graph)), key_(key), seeds_(std::move(seeds)) {
  SIM_ASSERT(std::is_sorted(seeds_.begin(), seeds_.end()), "seeds must be sorted");
  SIM_ASSERT(seeds_.empty() || seeds_.back() < graph_.num_nodes(), "seed out of range");
  schema_.add("adopters", "agents", "Agents that have adopted by the end of the step (cumulative).");
  schema_.add("new_adopters", "agents", "Agents that adopted during the step.", sim::Aggregation::kFlow);
}

void DiffusionProcess::start() {
  adopted_at_.resize(graph_.num_nodes());
  sim::parallel_fill(std::span<sim::Step>(adopted_at_), sim::kNever);
  for (const sim::AgentId s : seeds_) {
    adopted_at_[s] = 0;
  }
  frontier_ = seeds_;
  adopters_ = static_cast<sim::AgentId>(seeds_.size());
  on_start();
  quiescent_ = adopters_ == graph_.num_nodes() || (frontier_.empty() && stalls_without_frontier());
}

void DiffusionProcess::advance(sim::Step t) {
  if (quiescent_) {
    frontier_.clear();
    return;
  }
  stepper_.run(t);
  newcomers_.collect_sorted(frontier_);
  adopters_ += static_cast<sim::AgentId>(frontier_.size());
  quiescent_ = adopters_ == graph_.num_nodes() || (frontier_.empty() && stalls_without_frontier());
}

std::size_t DiffusionProcess::state_bytes() const {
  return adopted_at_.capacity() * sizeof(sim::Step) +
         (frontier_.capacity() + seeds_.capacity()) * sizeof(sim::AgentId) + newcomers_.memory_bytes();
}

void DiffusionProcess::measure(std::span<double> out) const {
  out[0] = adopters_;
  out[1] = static_cast<double>(frontier_.size());
}

}  // namespace innosim::models
