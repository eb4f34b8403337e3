#!/usr/bin/env python3
"""Writes an snmpsim data file for one router with N interfaces: system group, IF-MIB ifTable and ifXTable
(counters that rise through snmpsim's `numeric` variation module), HOST-RESOURCES CPU and memory.
Usage: make-snmprec.py INTERFACES > DIR/public.snmprec   (then: snmpsimd --data-dir=DIR ...)"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
rows = []


def add(oid, tag, value):
    rows.append((tuple(int(x) for x in oid.split(".")), f"{oid}|{tag}|{value}"))


add("1.3.6.1.2.1.1.1.0", "4", f"bench router with {n} interfaces")
add("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.8072.3.2.10")
add("1.3.6.1.2.1.1.3.0", "67:numeric", "rate=100,initial=100000")
add("1.3.6.1.2.1.1.5.0", "4", f"bench-{n}")
add("1.3.6.1.2.1.1.6.0", "4", "Beursplein, Brussel")
add("1.3.6.1.2.1.2.1.0", "2", str(n))
for i in range(1, n + 1):
    name = "wan0" if i == 1 else f"lan{i - 1}"
    t = "1.3.6.1.2.1.2.2.1"
    add(f"{t}.1.{i}", "2", str(i))
    add(f"{t}.2.{i}", "4", name)
    add(f"{t}.3.{i}", "2", "6")
    add(f"{t}.5.{i}", "66", "1000000000")
    add(f"{t}.8.{i}", "2", "1")
    add(f"{t}.10.{i}", "65:numeric", f"rate={1000 * i},cumulative=1")
    add(f"{t}.13.{i}", "65", "0")
    add(f"{t}.14.{i}", "65", "0")
    add(f"{t}.16.{i}", "65:numeric", f"rate={500 * i},cumulative=1")
    add(f"{t}.19.{i}", "65", "0")
    add(f"{t}.20.{i}", "65", "0")
    x = "1.3.6.1.2.1.31.1.1.1"
    add(f"{x}.1.{i}", "4", name)
    add(f"{x}.6.{i}", "70:numeric", f"rate={1000 * i},cumulative=1")
    add(f"{x}.10.{i}", "70:numeric", f"rate={500 * i},cumulative=1")
    add(f"{x}.15.{i}", "66", "1000")
    add(f"{x}.18.{i}", "4", f"port {i}")
add("1.3.6.1.2.1.25.2.3.1.2.1", "6", "1.3.6.1.2.1.25.2.1.2")
add("1.3.6.1.2.1.25.2.3.1.4.1", "2", "1024")
add("1.3.6.1.2.1.25.2.3.1.5.1", "2", "262144")
add("1.3.6.1.2.1.25.2.3.1.6.1", "2", "131072")
add("1.3.6.1.2.1.25.3.3.1.2.196608", "2", "12")
for _, line in sorted(rows):
    print(line)
