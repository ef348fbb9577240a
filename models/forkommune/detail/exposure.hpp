// The owners exposed to one innovation and their exposure sums. Internal to models/forkommune.
//
// Exposure changes far more often than it is read: every arena tie made or faded adds to or takes
// from the sums of every living innovation either side has adopted. So a change must cost O(1),
// not a search and an insertion into a sorted list. Two layouts with the same behaviour:
// - dense, for worlds of at most kDenseLimit owners (Norway has 371): a sum per owner and a
//   bitset of members, about 1.5 KB per living innovation in Norway;
// - sparse, for larger worlds: sorted owner ids with their sums, memory in proportion to the
//   members (a synthetic world of 10^5 owners cannot give every innovation an array of owners).
// Members are visited in ascending owner order in both, so a run gives the same result whichever
// layout it uses (tests/models/forkommune_exposure_test.cpp).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace innosim::models::forkommune::detail {

class ExposureSet {
 public:
  /// Worlds of at most this many owners use the dense layout.
  static constexpr std::uint32_t kDenseLimit = 4096;

  ExposureSet() = default;
  ExposureSet(std::uint32_t num_owners, bool dense) : num_owners_(num_owners), dense_(dense) {}

  /// Number of members (owners that were ever exposed, even if their sum has fallen to 0).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  [[nodiscard]] bool contains(std::uint32_t owner) const noexcept {
    if (dense_) return !bits_.empty() && ((bits_[owner >> 6] >> (owner & 63U)) & 1U) != 0;
    return std::binary_search(ids_.begin(), ids_.end(), owner);
  }

  /// Adds `amount` to the owner's sum, never below 0, and returns the new sum. An owner that is
  /// not yet a member joins only on a rise (amount > 0); otherwise nothing changes and 0 is
  /// returned.
  float add(std::uint32_t owner, float amount) {
    float* sum = find(owner);
    if (sum == nullptr) {
      if (amount <= 0) return 0.0F;
      sum = insert(owner);
    }
    *sum = std::max(0.0F, *sum + amount);
    return *sum;
  }

  /// Adds a sorted row of amounts (an adopter's listeners): a member's sum becomes
  /// max(0, sum + amount), a newcomer's the amount. Returns the largest of the new sums (0 for
  /// an empty row). `scratch` is reused storage for the sparse layout's merge.
  float merge(std::span<const std::uint32_t> owners, std::span<const float> amounts,
              std::vector<std::uint32_t>& scratch_ids, std::vector<float>& scratch_sums) {
    float top = 0;
    if (dense_) {
      for (std::size_t b = 0; b < owners.size(); ++b) {
        float* sum = find(owners[b]);
        const float v =
            sum == nullptr ? (*insert(owners[b]) = amounts[b]) : (*sum = std::max(0.0F, *sum + amounts[b]));
        top = std::max(top, v);
      }
      return top;
    }
    scratch_ids.clear();
    scratch_sums.clear();
    std::size_t a = 0, b = 0;
    while (a < ids_.size() || b < owners.size()) {
      if (b == owners.size() || (a < ids_.size() && ids_[a] < owners[b])) {
        scratch_ids.push_back(ids_[a]);
        scratch_sums.push_back(sums_[a++]);
      } else {
        float v = amounts[b];
        if (a < ids_.size() && ids_[a] == owners[b]) v = std::max(0.0F, sums_[a++] + v);
        scratch_ids.push_back(owners[b++]);
        scratch_sums.push_back(v);
        top = std::max(top, v);
      }
    }
    ids_.swap(scratch_ids);
    sums_.swap(scratch_sums);
    size_ = ids_.size();
    return top;
  }

  /// Forgets every member and frees the memory.
  void clear() {
    std::vector<float>().swap(sums_);
    std::vector<std::uint64_t>().swap(bits_);
    std::vector<std::uint32_t>().swap(ids_);
    size_ = 0;
  }

  /// Visits members by rank (0 = the lowest owner id) in non-decreasing rank order.
  class Walker {
   public:
    explicit Walker(const ExposureSet& set) : set_(set) {}
    /// The member of this rank and its sum. Precondition: rank < size() and rank is at least the
    /// previous call's.
    std::pair<std::uint32_t, float> at(std::size_t rank) noexcept {
      if (!set_.dense_) return {set_.ids_[rank], set_.sums_[rank]};
      for (;;) {
        const auto c = static_cast<std::size_t>(std::popcount(set_.bits_[word_]));
        if (before_ + c > rank) break;
        before_ += c;
        ++word_;
      }
      std::uint64_t x = set_.bits_[word_];
      for (std::size_t r = rank - before_; r > 0; --r) x &= x - 1;  // drop the lower members
      const auto owner =
          static_cast<std::uint32_t>(word_ * 64 + static_cast<std::size_t>(std::countr_zero(x)));
      return {owner, set_.sums_[owner]};
    }

   private:
    const ExposureSet& set_;
    std::size_t word_ = 0;    ///< dense: the word holding the next rank
    std::size_t before_ = 0;  ///< dense: members in the words before word_
  };

 private:
  float* find(std::uint32_t owner) noexcept {
    if (dense_) return contains(owner) ? &sums_[owner] : nullptr;
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), owner);
    return it != ids_.end() && *it == owner ? &sums_[static_cast<std::size_t>(it - ids_.begin())] : nullptr;
  }

  // Makes `owner` (not a member) a member with sum 0.
  float* insert(std::uint32_t owner) {
    ++size_;
    if (dense_) {
      if (bits_.empty()) {
        bits_.assign((num_owners_ + 63) / 64, 0);
        sums_.assign(num_owners_, 0.0F);
      }
      bits_[owner >> 6] |= std::uint64_t{1} << (owner & 63U);
      return &sums_[owner];
    }
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), owner);
    const auto k = it - ids_.begin();
    ids_.insert(it, owner);
    return &*sums_.insert(sums_.begin() + k, 0.0F);
  }

  std::uint32_t num_owners_ = 0;
  bool dense_ = false;
  std::size_t size_ = 0;
  std::vector<float> sums_;          ///< dense: per owner; sparse: parallel to ids_
  std::vector<std::uint64_t> bits_;  ///< dense: members
  std::vector<std::uint32_t> ids_;   ///< sparse: sorted members
};

}  // namespace innosim::models::forkommune::detail
