#!/usr/bin/env python3
# Server CPU by thread between two snapshots of /proc/PID/task/*/stat (utime, stime), grouped by thread name: measuring by
# elimination where perf has no samples. Usage: bench/radius/threads.py PID snap FILE, then bench/radius/threads.py PID diff FILE
import os, sys, json, collections
pid, mode, path = sys.argv[1], sys.argv[2], sys.argv[3]
def snap():
    d = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{tid}/stat').read()
            name = s[s.index('(')+1:s.rindex(')')]
            f = s[s.rindex(')')+2:].split()
            d[tid] = (name, int(f[11]), int(f[12]))
        except Exception: pass
    return d
if mode == 'snap':
    json.dump(snap(), open(path, 'w'))
else:
    a = json.load(open(path)); b = snap()
    g = collections.defaultdict(lambda: [0,0,0])
    for tid, (name, u, s) in b.items():
        u0, s0 = (a[tid][1], a[tid][2]) if tid in a else (0, 0)
        if u-u0 or s-s0:
            g[name][0] += u-u0; g[name][1] += s-s0; g[name][2] += 1
    for name, (u, s, n) in sorted(g.items(), key=lambda x: -(x[1][0]+x[1][1])):
        print(f'{name:20s} threads {n:3d} user {u:5d} sys {s:5d} ticks')
