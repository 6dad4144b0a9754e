#include "synthetic.hpp"

#include <fmt/format.h>

#include <functional>
#include <queue>
#include <string>
#include <vector>

namespace trace_test {
namespace {

// Every event of a request lies within this much of its send, so once the
// clock is this far past a line, no later request can write before it.
constexpr std::uint64_t horizon_ns = 2'000'000;
constexpr std::uint64_t flush_every = 64;  // requests; reactors interleave in between

struct pending {
  std::uint64_t t = 0;
  std::uint64_t seq = 0;
  std::string line;
  bool operator>(const pending& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

class generator {
 public:
  generator(std::ostream& out, const synthetic_options& o)
      : out_(out), o_(o), state_(o.seed), queues_(o.reactors) {}

  synthetic_counts run() {
    const std::uint64_t task = o_.actors + 1;
    emit(0, 0,
         fmt::format(R"({{"t":0,"ev":"task","r":0,"task":{},"name":"amain","parent":0}})", task));
    for (std::uint32_t a = 1; a <= o_.actors; ++a)
      emit(0, 0,
           fmt::format(
               R"({{"t":0,"ev":"spawn","r":0,"actor":{},"type":"{}","home":{},"parent":{}}})", a,
               type(a), home(a), task));
    std::uint64_t req = task;
    while (counts_.lines + queued_ < o_.lines) {
      ++req;
      request(req, task);
      if (req % 1000 == 0)
        emit(0, now_, fmt::format(R"({{"t":{},"ev":"gc_pause","r":0,"pause_ns":{}}})", now_, 500));
      if (req % flush_every == 0) flush(now_ > horizon_ns ? now_ - horizon_ns : 0);
    }
    flush(UINT64_MAX);
    return counts_;
  }

 private:
  std::uint64_t next() noexcept {  // splitmix64: the same sequence everywhere
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) noexcept { return next() % n; }

  std::string type(std::uint64_t actor) const { return fmt::format("svc{}", actor % 8); }
  std::uint64_t home(std::uint64_t actor) const { return (actor - 1) % o_.reactors; }

  void request(std::uint64_t req, std::uint64_t task) {
    now_ += 200 + below(1800);
    const std::uint64_t sender_r = below(o_.reactors);
    const std::uint64_t actor = 1 + below(o_.actors);
    const std::uint64_t h = home(actor);
    const std::string ty = type(actor);
    const std::string handler = fmt::format("{}::op{}", ty, below(4));
    const bool ask = below(10) != 0;
    (ask ? counts_.asks : counts_.tells) += 1;
    std::string from;
    if (below(2) == 0) {
      const std::uint64_t f = 1 + below(o_.actors);
      from = fmt::format(R"("from":{},"from_type":"{}","parent":{})", f, type(f), req - 1);
    } else {
      from = fmt::format(R"("from":0,"parent":{})", task);
    }
    const std::string who =
        fmt::format(R"("req":{},"actor":{},"type":"{}","handler":"{}")", req, actor, ty, handler);
    emit(sender_r, now_,
         fmt::format(R"({{"t":{},"ev":"send","r":{},"kind":"{}",{},{}}})", now_, sender_r,
                     ask ? "ask" : "tell", who, from));

    const std::uint64_t wait = 100 + below(20'000);
    const std::uint64_t run = 100 + below(1000) * (1 + below(100));  // up to ~100 us, skewed
    const std::uint64_t start = now_ + wait;
    const std::uint64_t fate = below(1000);
    auto reply = [&](std::uint64_t t, std::string_view outcome) {
      if (ask)
        emit(h, t,
             fmt::format(R"({{"t":{},"ev":"reply","r":{},"req":{},"outcome":"{}"}})", t, h, req,
                         outcome));
    };
    if (fate < 5) {
      ++counts_.dropped;
      emit(h, start,
           fmt::format(R"({{"t":{},"ev":"dead_letter","r":{},{},"reason":"stopped"}})", start, h,
                       who));
      reply(start + 10, "stopped");
      return;
    }
    ++counts_.handled;
    emit(h, start,
         fmt::format(R"({{"t":{},"ev":"start","r":{},{},"depth":{}}})", start, h, who, below(4)));
    if (fate < 10 && ask) {
      ++counts_.timed_out;
      const std::uint64_t deadline = start + run / 2;
      emit(sender_r, deadline,
           fmt::format(R"({{"t":{},"ev":"timeout","r":{},"req":{},"where":"synth.cpp:1"}})",
                       deadline, sender_r, req));
      emit(sender_r, deadline,
           fmt::format(R"({{"t":{},"ev":"cancel","r":{},"req":{},"cause":"timeout"}})", deadline,
                       sender_r, req));
      emit(h, deadline + 100,
           fmt::format(R"({{"t":{},"ev":"end","r":{},{},"outcome":"cancelled"}})", deadline + 100,
                       h, who));
      reply(deadline + 150, "cancelled");
      return;
    }
    const std::uint64_t end = start + run;
    if (fate < 20) {
      ++counts_.failed;
      emit(h, end,
           fmt::format(R"({{"t":{},"ev":"failure","r":{},{},"error":"boom"}})", end, h, who));
      emit(h, end,
           fmt::format(R"({{"t":{},"ev":"end","r":{},{},"outcome":"failed"}})", end, h, who));
      reply(end + 50, "error");
      return;
    }
    emit(h, end, fmt::format(R"({{"t":{},"ev":"end","r":{},{},"outcome":"ok"}})", end, h, who));
    reply(end + 50, "value");
  }

  void emit(std::uint64_t r, std::uint64_t t, std::string line) {
    queues_[r].push({t, seq_++, std::move(line)});
    ++queued_;
  }

  // Writes, reactor by reactor, every line at or before `until`.
  void flush(std::uint64_t until) {
    for (auto& q : queues_) {
      while (!q.empty() && q.top().t <= until) {
        out_ << q.top().line << '\n';
        q.pop();
        --queued_;
        ++counts_.lines;
      }
    }
  }

  std::ostream& out_;
  synthetic_options o_;
  std::uint64_t state_;
  std::uint64_t now_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t queued_ = 0;
  std::vector<std::priority_queue<pending, std::vector<pending>, std::greater<>>> queues_;
  synthetic_counts counts_;
};

}  // namespace

synthetic_counts write_synthetic(std::ostream& out, const synthetic_options& options) {
  return generator(out, options).run();
}

}  // namespace trace_test
