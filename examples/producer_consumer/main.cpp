// producer_consumer — producer actors on some reactors and consumer actors on
// others, connected by one bounded troupe::queue (asyncio.Queue(maxsize)).
// A producer that finds the queue full waits in put() until a consumer makes
// room: back-pressure, not an ever-growing buffer. At the end every item is
// accounted for: each (producer, sequence number) was received exactly once,
// and the checksums of what was put and what was taken agree.
//
//   producer_consumer [--producers P] [--consumers C] [--items N] [--maxsize M] [--reactors R]
#include <troupe/troupe.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "../common/check.hpp"
#include "../common/cli.hpp"

struct item {
  std::uint32_t producer = 0;
  std::uint32_t seq = 0;
  std::uint64_t value = 0;
};

std::uint64_t value_of(std::uint32_t producer, std::uint32_t seq) {
  std::uint64_t x = (std::uint64_t{producer} << 32 | seq) + 0x9e3779b97f4a7c15ULL;  // splitmix64
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// "reactor 0" or "reactors 1-3".
std::string reactor_span(std::size_t first, std::size_t count) {
  if (count <= 1) return "reactor " + std::to_string(first);
  return "reactors " + std::to_string(first) + "-" + std::to_string(first + count - 1);
}

struct produced {
  std::uint64_t items = 0;
  std::uint64_t checksum = 0;  // sum of values, modulo 2^64
  std::uint64_t waited = 0;    // puts that found the queue full
};

struct consumed {
  std::uint64_t items = 0;
  std::uint64_t checksum = 0;
  std::uint64_t duplicates = 0;    // items this consumer saw twice
  std::vector<std::uint8_t> seen;  // [producer * per_producer + seq]
};

// [guide:queue]
class producer : public troupe::actor {
 public:
  explicit producer(std::uint32_t id) : id_(id) {}

  troupe::task<produced> produce(troupe::queue<item>* q, std::uint32_t count) {
    produced p;
    for (std::uint32_t seq = 0; seq < count; ++seq) {
      const item it{id_, seq, value_of(id_, seq)};
      if (q->full()) ++p.waited;
      co_await q->put(it);  // suspends while the queue is full
      ++p.items;
      p.checksum += it.value;
    }
    co_return p;
  }

 private:
  std::uint32_t id_;
};

class consumer : public troupe::actor {
 public:
  troupe::task<consumed> consume(troupe::queue<item>* q, std::uint32_t producers,
                                 std::uint32_t per_producer) {
    consumed c;
    c.seen.assign(std::size_t{producers} * per_producer, 0);
    for (;;) {
      item it;
      try {
        it = co_await q->get();  // suspends while the queue is empty
      } catch (const troupe::queue_shut_down&) {
        break;  // shut down and drained: no more items will come
      }
      std::uint8_t& mark = c.seen[std::size_t{it.producer} * per_producer + it.seq];
      if (mark != 0) ++c.duplicates;
      mark = 1;
      ++c.items;
      c.checksum += it.value;
      q->task_done();
    }
    co_return c;
  }
};
// [/guide:queue]

struct settings {
  int producers = 4;
  int consumers = 4;
  int items = 250'000;  // per producer
  int maxsize = 64;
  int reactors = 0;  // 0: one per hardware thread, at least 2
};

troupe::task<int> amain(settings s, std::size_t reactors) {
  const auto P = static_cast<std::uint32_t>(s.producers);
  const auto C = static_cast<std::uint32_t>(s.consumers);
  const auto N = static_cast<std::uint32_t>(s.items);
  // Producers on the first half of the reactors, consumers on the rest.
  const std::size_t half = std::max<std::size_t>(1, reactors / 2);
  const std::size_t rest = reactors > half ? reactors - half : 1;
  const std::size_t first_consumer_reactor = reactors > half ? half : 0;

  troupe::queue<item> q(static_cast<std::size_t>(s.maxsize));
  std::vector<troupe::actor_ref<producer>> ps;
  std::vector<troupe::actor_ref<consumer>> cs;
  for (std::uint32_t i = 0; i < P; ++i)
    ps.push_back(troupe::spawn_on<producer>(troupe::on_reactor(i % half), i));
  for (std::uint32_t i = 0; i < C; ++i)
    cs.push_back(troupe::spawn_on<consumer>(troupe::on_reactor(first_consumer_reactor + i % rest)));

  const auto start = std::chrono::steady_clock::now();
  // [guide:queue-main]
  std::vector<troupe::future<consumed>> consuming;
  for (auto& c : cs) consuming.push_back(c.ask<&consumer::consume>(&q, P, N));
  std::vector<troupe::future<produced>> producing;
  for (auto& p : ps) producing.push_back(p.ask<&producer::produce>(&q, N));

  std::vector<produced> put = co_await troupe::gather(producing);
  co_await q.join();  // every item put has been taken and task_done()
  q.shutdown();       // consumers waiting in get() now get queue_shut_down
  std::vector<consumed> taken = co_await troupe::gather(consuming);
  // [/guide:queue-main]
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  produced all_put;
  for (const auto& p : put) {
    all_put.items += p.items;
    all_put.checksum += p.checksum;
    all_put.waited += p.waited;
  }
  std::uint64_t items_taken = 0, checksum_taken = 0, duplicates = 0, lost = 0;
  for (const auto& c : taken) {
    items_taken += c.items;
    checksum_taken += c.checksum;
    duplicates += c.duplicates;
  }
  // Across consumers: each item must have been seen by exactly one of them.
  for (std::size_t k = 0; k < std::size_t{P} * N; ++k) {
    unsigned seen_by = 0;
    for (const auto& c : taken) seen_by += c.seen[k];
    if (seen_by == 0) ++lost;
    if (seen_by > 1) duplicates += seen_by - 1;
  }

  std::printf("producer_consumer: %u producers on %s, %u consumers on %s, queue maxsize %d\n", P,
              reactor_span(0, std::min<std::size_t>(half, P)).c_str(), C,
              reactor_span(first_consumer_reactor, std::min<std::size_t>(rest, C)).c_str(),
              s.maxsize);
  std::printf("  %llu items in %.1f ms: %.0f items/s\n",
              static_cast<unsigned long long>(items_taken), secs * 1e3,
              static_cast<double>(items_taken) / secs);
  std::printf("  producers found the queue full %llu times and waited (back-pressure)\n",
              static_cast<unsigned long long>(all_put.waited));
  for (std::size_t i = 0; i < taken.size(); ++i)
    std::printf("  consumer %zu took %llu items\n", i,
                static_cast<unsigned long long>(taken[i].items));
  std::printf("  checksum put %016llx, taken %016llx\n",
              static_cast<unsigned long long>(all_put.checksum),
              static_cast<unsigned long long>(checksum_taken));

  example::checks check;
  const std::uint64_t expected = std::uint64_t{P} * N;
  check.expect(
      all_put.items == expected && items_taken == expected,
      std::to_string(expected) + " items put and " + std::to_string(items_taken) + " taken");
  check.expect(lost == 0, "no item lost (" + std::to_string(lost) + " missing)");
  check.expect(duplicates == 0,
               "no item taken twice (" + std::to_string(duplicates) + " duplicates)");
  check.expect(all_put.checksum == checksum_taken, "the checksums of put and taken agree");
  check.expect(q.statistics().size == 0, "the queue is empty at the end");
  co_return check.exit_code();
}

int main(int argc, char** argv) {
  settings s;
  example::cli cli(
      "producer_consumer",
      "Producer actors and consumer actors on different reactors share one bounded\n"
      "troupe::queue; prints the throughput and proves nothing was lost or duplicated.");
  cli.option("producers", s.producers, "producer actors")
      .option("consumers", s.consumers, "consumer actors")
      .option("items", s.items, "items each producer puts")
      .option("maxsize", s.maxsize, "the queue's capacity (0: unbounded)")
      .option("reactors", s.reactors, "reactor threads (0: one per hardware thread, at least 2)");
  if (auto code = cli.parse(argc, argv)) return *code;
  if (s.producers < 1 || s.consumers < 1 || s.items < 1 || s.maxsize < 0 || s.reactors < 0) {
    std::fputs("producer_consumer: counts must be positive (maxsize and reactors may be 0)\n",
               stderr);
    return 2;
  }
  std::size_t reactors = static_cast<std::size_t>(s.reactors);
  if (reactors == 0) reactors = std::max(2u, std::thread::hardware_concurrency());
  return troupe::run(amain(s, reactors), troupe::options{.reactors = reactors});
}
