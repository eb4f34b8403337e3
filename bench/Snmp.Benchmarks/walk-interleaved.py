#!/usr/bin/env python3
"""The field tool's whole-tree bulk walk against net-snmp's snmpbulkwalk, run alternately.

On a shared machine the load drifts during a benchmark; hyperfine runs all of one command, then all of the other,
so a drift lands on one side. Here the two walks alternate (the order swapped every pair), and the report says how
many pairs ours won as well as min, median and mean of each.

    walk-interleaved.py PAIRS EDGE_AGENT_BINARY HOST:PORT [MAX_REPETITIONS]
    walk-interleaved.py 100 /tmp/agent-aot/edge-agent 127.0.0.1:11161 50
"""
import os
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 4:
    sys.exit(__doc__)
pairs, binary, endpoint = int(sys.argv[1]), sys.argv[2], sys.argv[3]
repetitions = sys.argv[4] if len(sys.argv) > 4 else "50"
env = dict(os.environ, MIBS="")
commands = {
    "net-snmp": ["snmpbulkwalk", "-v2c", "-c", "public", "-On", f"-Cr{repetitions}", endpoint, ".1.3.6.1"],
    "ours": [binary, "snmp", "bulkwalk", "-v2c", "-c", "public", "-On", f"-Cr{repetitions}", endpoint, "1.3.6.1"],
}
times = {name: [] for name in commands}
wins = 0
for i in range(pairs):
    pair = {}
    for name in (list(commands) if i % 2 == 0 else list(reversed(commands))):
        start = time.perf_counter()
        subprocess.run(commands[name], env=env, stdout=subprocess.DEVNULL, check=True)
        pair[name] = time.perf_counter() - start
        times[name].append(pair[name])
    wins += pair["ours"] <= pair["net-snmp"]

for name, values in times.items():
    print(f"{name}: min {min(values) * 1000:.1f} ms, median {statistics.median(values) * 1000:.1f} ms, mean {statistics.mean(values) * 1000:.1f} ms")
ratio = statistics.median(times["ours"]) / statistics.median(times["net-snmp"])
print(f"ours faster or equal in {wins} of {pairs} pairs; median ours / net-snmp {ratio:.3f}")
