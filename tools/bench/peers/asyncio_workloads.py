#!/usr/bin/env python3
"""The side-by-side workloads written the way an asyncio program would.

    python3 asyncio_workloads.py WORKLOAD [--key value ...]

asyncio has no actors, so each workload uses what an asyncio user reaches
for: tasks, asyncio.Queue as a mailbox between tasks, gather, sleep. Prints
one JSON line: workload, peer, threads, params, ops, seconds, checksum. The
timed region is the workload itself, not the interpreter's start-up.
"""

import asyncio
import json
import sys
import threading
import time

BURST = 1000  # fan_in: messages a sender puts before it lets others run


# ------------------------------------------------------------- ping-pong


async def ping_pong_1t(p):
    rounds = p["rounds"]
    to_pong = asyncio.Queue()
    to_ping = asyncio.Queue()

    async def pong():
        while True:
            x = await to_pong.get()
            if x < 0:
                return
            to_ping.put_nowait(x + 1)

    pong_task = asyncio.create_task(pong())
    total = 0
    for x in range(rounds):
        to_pong.put_nowait(x)
        total += await to_ping.get()
    to_pong.put_nowait(-1)
    await pong_task
    return rounds, total


async def ping_pong_2t(p):
    """Two event loops on two threads: pong's loop runs in its own thread and
    ping submits each request with run_coroutine_threadsafe."""
    rounds = p["rounds"]
    pong_loop = asyncio.new_event_loop()
    thread = threading.Thread(target=pong_loop.run_forever, daemon=True)
    thread.start()

    async def hit(x):
        return x + 1

    total = 0
    for x in range(rounds):
        total += await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(hit(x), pong_loop))
    pong_loop.call_soon_threadsafe(pong_loop.stop)
    thread.join()
    pong_loop.close()
    return rounds, total


# ------------------------------------------------------------- thread ring


async def thread_ring(p):
    """A task per ring node, each with a queue as its mailbox; the token
    carries the hops left and the sum of the indices of the nodes it met."""
    n, hops = p["actors"], p["hops"]
    boxes = [asyncio.Queue() for _ in range(n)]
    done = asyncio.get_running_loop().create_future()

    async def node(index, box, nxt):
        while True:
            left, acc = await box.get()
            if left < 0:
                return
            acc += index
            if left == 0:
                done.set_result(acc)
            else:
                nxt.put_nowait((left - 1, acc))

    tasks = [asyncio.create_task(node(i, boxes[i], boxes[(i + 1) % n])) for i in range(n)]
    boxes[0].put_nowait((hops, 0))
    checksum = await done
    for box in boxes:
        box.put_nowait((-1, 0))
    await asyncio.gather(*tasks)
    return hops, checksum


# ------------------------------------------------------------- fork-join


async def fork_join(p):
    """One task per unit of work, joined with gather."""
    n = p["actors"]

    async def work(i):
        return i * i

    results = await asyncio.gather(*(work(i) for i in range(n)))
    return n, sum(results)


# ------------------------------------------------------------- fan-in


async def fan_in(p):
    """Senders put into one unbounded queue that a sink task drains; each
    sender lets the others run after every burst of BURST messages."""
    senders, per_sender = p["senders"], p["messages"]
    total = senders * per_sender
    box = asyncio.Queue()

    async def sender(s):
        base = s * per_sender
        for start in range(0, per_sender, BURST):
            for j in range(start, min(start + BURST, per_sender)):
                box.put_nowait(base + j)
            await asyncio.sleep(0)

    async def sink():
        acc = 0
        for _ in range(total):
            acc += await box.get()
        return acc

    sink_task = asyncio.create_task(sink())
    await asyncio.gather(*(sender(s) for s in range(senders)))
    return total, await sink_task


# ------------------------------------------------------------- fan-out


class Worker:
    async def compute(self, v):
        return v + 1


async def fan_out(p):
    """Each round gathers one coroutine call per request, spread over the
    workers."""
    requests, rounds, nworkers = p["requests"], p["rounds"], p["workers"]
    workers = [Worker() for _ in range(nworkers)]
    acc = 0
    for r in range(rounds):
        base = r * requests
        values = await asyncio.gather(
            *(workers[i % nworkers].compute(base + i) for i in range(requests)))
        acc += sum(values)
    return requests * rounds, acc


# ------------------------------------------------------------- sleep


async def sleep_gather(p):
    tasks, seconds = p["tasks"], p["ms"] / 1000.0

    async def sleeper(i):
        await asyncio.sleep(seconds)
        return i

    results = await asyncio.gather(*(sleeper(i) for i in range(tasks)))
    return tasks, sum(results)


# ------------------------------------------------------------- producer-consumer


async def prod_cons(p):
    items, capacity = p["items"], p["capacity"]
    q = asyncio.Queue(maxsize=capacity)

    async def producer():
        for i in range(items):
            await q.put(i)

    async def consumer():
        acc = 0
        for expected in range(items):
            v = await q.get()
            if v != expected:
                raise RuntimeError(f"prod_cons: item {v} arrived where {expected} was due")
            acc += v
        return acc

    _, acc = await asyncio.gather(producer(), consumer())
    return items, acc


WORKLOADS = {
    "ping_pong_1t": (ping_pong_1t, {"rounds": 1_000_000}, 1),
    "ping_pong_2t": (ping_pong_2t, {"rounds": 1_000_000}, 2),
    "thread_ring": (thread_ring, {"actors": 503, "hops": 10_000_000}, 1),
    "fork_join": (fork_join, {"actors": 1_000_000}, 1),
    "fan_in": (fan_in, {"senders": 20, "messages": 500_000}, 1),
    "fan_out": (fan_out, {"requests": 10_000, "rounds": 100, "workers": 10}, 1),
    "sleep_gather": (sleep_gather, {"tasks": 100_000, "ms": 100}, 1),
    "prod_cons": (prod_cons, {"items": 1_000_000, "capacity": 1000}, 1),
}


def peak_rss_kib():
    """VmHWM from /proc/self/status (KiB), or -1: the process's own peak,
    without what the runner's forked child held before exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def parse(argv):
    if len(argv) < 1 or argv[0] in ("-h", "--help") or argv[0] not in WORKLOADS:
        sys.stderr.write("usage: asyncio_workloads.py WORKLOAD [--key value ...]\n"
                         "workloads: " + ", ".join(WORKLOADS) + "\n")
        sys.exit(0 if argv and argv[0] in ("-h", "--help") else 2)
    name = argv[0]
    fn, params, threads = WORKLOADS[name]
    params = dict(params)
    rest = argv[1:]
    if len(rest) % 2:
        sys.exit(f"asyncio_workloads.py: '{rest[-1]}' has no value")
    for key, value in zip(rest[::2], rest[1::2]):
        key = key.lstrip("-")
        if key == "threads":
            continue  # the thread count is part of the workload here
        if key not in params:
            sys.exit(f"asyncio_workloads.py: {name} has no parameter '{key}'")
        params[key] = int(value)
        if params[key] <= 0:
            sys.exit(f"asyncio_workloads.py: --{key} must be positive")
    return name, fn, params, threads


def main(argv):
    name, fn, params, threads = parse(argv)

    async def timed():
        start = time.perf_counter()
        ops, checksum = await fn(params)
        return ops, time.perf_counter() - start, checksum

    ops, seconds, checksum = asyncio.run(timed())
    print(json.dumps({"workload": name, "peer": "asyncio", "threads": threads, "params": params,
                      "ops": ops, "seconds": seconds, "checksum": checksum,
                      "peak_rss_kib": peak_rss_kib()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
