#!/bin/bash
# Where a process's resident memory is: /proc/PID/smaps summed by mapping, largest first (kB of Rss, and of it
# anonymous), so two agents' footprints can be compared line by line.
# Usage: smaps-summary.sh PID
# Mappings: the file's name for file-backed ones; [heap] (malloc's brk heap), [stack], and "anon" for the rest
# (the GC heap, rehydrated type data, thread stacks, malloc's mmapped blocks).
set -euo pipefail
pid=$1
awk '
    /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "anon"; sub(/.*\//, "", name); next }
    /^Rss:/ { rss[name] += $2; total += $2 }
    /^Anonymous:/ { anon[name] += $2; anontotal += $2 }
    END {
        for (n in rss) if (rss[n] > 0) printf "%8d kB  %8d kB anon  %s\n", rss[n], anon[n], n
        printf "%8d kB  %8d kB anon  TOTAL\n", total, anontotal
    }' "/proc/$pid/smaps" | sort -rn
