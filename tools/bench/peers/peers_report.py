"""Ratios, the table and the plot of tools/bench/peers/run.

Speed ratio troupe / peer: troupe's throughput over the peer's (the peer's
time per operation over troupe's); above 1 troupe is faster. Memory ratio
troupe / peer: troupe's peak RSS over the peer's; below 1 troupe is leaner.
Memory is compared only between runs of the same size.
"""

import json
import os
import subprocess
import sys
import tempfile

TARGETS = {"caf": 1.0, "asyncio": 50.0}  # the issue's: ahead of CAF, 50x asyncio
NAMES = {"troupe": "troupe", "caf": "CAF", "asyncio": "asyncio"}
MATPLOTLIB_INSTALL = "sudo apt-get install python3-matplotlib"


def add_ratios(report):
    for row in report["rows"]:
        mine = row["peers"].get("troupe", {})
        row["speed_ratio"], row["memory_ratio"] = {}, {}
        for peer, res in row["peers"].items():
            if peer == "troupe" or "error" in res or "error" in mine or not mine:
                continue
            row["speed_ratio"][peer] = res["ns_per_op"] / mine["ns_per_op"]
            if res["params"] == mine["params"]:
                row["memory_ratio"][peer] = mine["max_rss_kib"] / res["max_rss_kib"]
    report["targets"] = summarise_targets(report)


def summarise_targets(report):
    out = {}
    for peer, target in TARGETS.items():
        met, missed = [], []
        for row in report["rows"]:
            r = row["speed_ratio"].get(peer)
            if r is None:
                continue
            (met if r >= target else missed).append({"workload": row["workload"], "ratio": r})
        if met or missed:
            out[peer] = {"target": target, "met": met, "missed": missed}
    mem = [row for row in report["rows"] if "caf" in row["memory_ratio"]]
    if mem:
        out["caf_memory"] = {
            "met": [{"workload": r["workload"], "ratio": r["memory_ratio"]["caf"]}
                    for r in mem if r["memory_ratio"]["caf"] <= 1.0],
            "missed": [{"workload": r["workload"], "ratio": r["memory_ratio"]["caf"]}
                       for r in mem if r["memory_ratio"]["caf"] > 1.0]}
    return out


def per_op(ns):
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns / 1e6:.2f} ms"


def mib(kib):
    return f"{kib / 1024:.0f} MiB" if kib >= 10 * 1024 else f"{kib / 1024:.1f} MiB"


def ratio(r):
    if r is None:
        return "—"
    return f"{r:.0f}×" if r >= 100 else f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def size_of(params):
    return ", ".join(f"{k} {v:,}" for k, v in params.items())


def cell(row, peer, what, smaller):
    res = row["peers"].get(peer)
    if res is None:
        return "skipped"
    if "error" in res:
        return "FAILED"
    text = per_op(res["ns_per_op"]) if what == "time" else mib(res["max_rss_kib"])
    mine = row["peers"].get("troupe", {})
    if peer != "troupe" and res.get("params") != mine.get("params"):
        text += " *"
        smaller.add(row["workload"])
    return text


def tables(report):
    """The two tables as (title, header, rows) for text or Markdown."""
    peers = [p for p in NAMES if any(p in row["peers"] for row in report["rows"])]
    others = [p for p in peers if p != "troupe"]
    smaller = set()
    speed, memory = [], []
    for row in report["rows"]:
        threads = next((r.get("threads") for r in row["peers"].values() if "threads" in r), "")
        speed.append([row["label"], str(threads), row["unit"]] +
                     [cell(row, p, "time", smaller) for p in peers] +
                     [ratio(row["speed_ratio"].get(p)) for p in others])
        memory.append([row["label"]] + [cell(row, p, "memory", smaller) for p in peers] +
                      [ratio(row["memory_ratio"].get(p)) for p in others])
    speed_head = (["workload", "threads", "per"] + [NAMES[p] for p in peers] +
                  [f"troupe/{NAMES[p]} (speed)" for p in others])
    mem_head = (["workload"] + [f"{NAMES[p]} peak RSS" for p in peers] +
                [f"troupe/{NAMES[p]} (memory)" for p in others])
    return [("Time per operation (median), and troupe's throughput over the peer's", speed_head,
             speed),
            ("Peak memory (peak RSS of the workload's process), and troupe's over the peer's",
             mem_head, memory)], smaller


def notes(report, smaller):
    lines = []
    for row in report["rows"]:
        mine = row["peers"].get("troupe", {})
        if "params" in mine:
            lines.append(f"{row['label']}: {size_of(mine['params'])}")
    for row in report["rows"]:
        if row["workload"] in smaller:
            for peer, res in row["peers"].items():
                if peer != "troupe" and "params" in res and \
                        res["params"] != row["peers"].get("troupe", {}).get("params"):
                    full_s = res["ns_per_op"] * row["peers"]["troupe"]["ops"] / 1e9
                    lines.append(f"* {row['label']}: {NAMES[peer]} ran {size_of(res['params'])} "
                                 f"(the full size would take about {full_s:.0f} s at this rate); "
                                 "the time is per operation, so the speed ratio stands; memory "
                                 "is not compared.")
    if any(r["workload"] == "sleep_gather" for r in report["rows"]):
        lines.append("sleeping tasks: time per task is the run's time beyond the sleep itself, "
                     "divided by the tasks.")
    lines.append("threads: troupe reactors and CAF scheduler threads; asyncio runs one event "
                 "loop (two, on two threads, for ping-pong 2 threads).")
    for peer, why in report["skipped"].items():
        lines.append(f"{NAMES[peer]} skipped: {why}")
    return lines


def target_lines(report):
    out = []
    for peer, t in report["targets"].items():
        if peer == "caf_memory":
            what = "troupe's peak memory at most CAF's"
        elif peer == "caf":
            what = "troupe ahead of CAF"
        else:
            what = f"troupe at least {t['target']:.0f}× asyncio"
        n = len(t["met"]) + len(t["missed"])
        line = f"target: {what}: {len(t['met'])} of {n}"
        if t["missed"]:
            line += "; missed on " + ", ".join(f"{m['workload']} ({ratio(m['ratio'])})"
                                               for m in t["missed"])
        out.append(line)
    return out


def render_table(report, markdown=False):
    blocks, smaller = tables(report)
    out = []
    m = report["machine"]
    out.append(f"troupe vs CAF vs asyncio — {report['started']}, {m['nproc']} CPUs, load average "
               f"{m['load_before'][0]:.2f} before, {m['load_after'][0]:.2f} after"
               + (" (quick sizes)" if report["quick"] else ""))
    if report.get("source"):
        out.append(f"troupe built from commit {report['source']}")
    for title, head, rows in blocks:
        out.append("")
        out.append(title + ":")
        if markdown:
            out.append("")
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
            out += ["| " + " | ".join(r) + " |" for r in rows]
        else:
            widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
            fmt = lambda r: "  ".join(  # noqa: E731
                c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
            out.append(fmt(head))
            out += [fmt(r) for r in rows]
    out.append("")
    out += notes(report, smaller)
    if report["quick"]:
        out.append("quick sizes: the checksums are checked; the timings mean nothing")
    else:
        out += target_lines(report)
    return "\n".join(out)


def plot(report, path):
    """Draws the speed and memory ratios; returns None, or why it could not."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import ticker
    except ImportError:
        return plot_with_system_python(report, path)
    rows = report["rows"]
    labels = [r["label"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 0.55 * len(rows) + 2.2),
                                   sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    colours = {"caf": "#3b75af", "asyncio": "#ef8636"}
    ys = list(range(len(rows)))
    for ax, key, title in ((ax1, "speed_ratio", "speed: troupe's throughput / peer's"),
                           (ax2, "memory_ratio", "peak memory: troupe's / peer's")):
        for k, peer in enumerate(("caf", "asyncio")):
            vals = [r[key].get(peer) for r in rows]
            pos = [y + (k - 0.5) * 0.38 for y in ys]
            bars = [(p, v) for p, v in zip(pos, vals) if v is not None]
            if bars:
                ax.barh([b[0] for b in bars], [b[1] for b in bars], height=0.36,
                        color=colours[peer], label=f"vs {NAMES[peer]}")
                for p, v in bars:
                    ax.text(v, p, f" {ratio(v)}", va="center", fontsize=7)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}×"))
        ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        lo, hi = ax.get_xlim()
        ax.set_xlim(min(lo, 0.5) / 1.5, hi * 3)  # room for the shortest bar and the labels
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_title(title, fontsize=10)
        ax.grid(axis="x", which="major", alpha=0.3)
    ax1.axvline(50.0, color="#ef8636", linestyle="--", linewidth=0.8, label="50× (asyncio target)")
    ax1.set_yticks(ys)
    ax1.set_yticklabels(labels, fontsize=8)
    ax1.invert_yaxis()
    ax1.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3, frameon=False)
    ax2.text(0.98, 0.02, "left of 1: troupe uses less", transform=ax2.transAxes, ha="right",
             fontsize=7)
    m = report["machine"]
    fig.suptitle(f"troupe vs CAF 0.17 and asyncio ({m['nproc']} vCPUs, load "
                 f"{m['load_before'][0]:.1f}; right of 1 on the left: troupe faster)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def plot_with_system_python(report, path):
    """Debian's python3-matplotlib belongs to /usr/bin/python3: when the runner
    runs under another interpreter, draw with that one."""
    system = "/usr/bin/python3"
    if os.path.realpath(sys.executable) == os.path.realpath(system) or not os.path.exists(system):
        return f"no plot: matplotlib is not installed ({MATPLOTLIB_INSTALL})"
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(report, f)
        f.flush()
        done = subprocess.run([system, __file__, "plot", f.name, str(path)],
                              capture_output=True, text=True)
    if done.returncode != 0:
        return (f"no plot: matplotlib is not installed for {sys.executable} or {system} "
                f"({MATPLOTLIB_INSTALL})")
    return None


if __name__ == "__main__":
    # python3 peers_report.py plot REPORT.json OUT.png
    if len(sys.argv) != 4 or sys.argv[1] != "plot":
        sys.exit("usage: peers_report.py plot REPORT.json OUT.png")
    with open(sys.argv[2]) as f:
        why = plot(json.load(f), sys.argv[3])
    if why:
        sys.exit(why)
