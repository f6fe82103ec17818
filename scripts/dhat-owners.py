#!/usr/bin/env python3
"""Who holds the heap at its peak, from dhat-rs's dhat-heap.json (bench/README.md,
"Where the memory goes"): each allocation site's bytes at the global peak, grouped by
the first frame (or the first DEPTH frames) in cchc's own source.

    cargo build --release --features dhat-heap
    target/release/cchc run --input DIR --output OUT --no-appendices --no-documents
    scripts/dhat-owners.py dhat-heap.json [TOP=25] [DEPTH=1]
"""
import collections
import json
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
data = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
depth = int(sys.argv[3]) if len(sys.argv) > 3 else 1
frames, points = data["ftbl"], data["pps"]
total = sum(p.get("gb", 0) for p in points)


def own(frame):
    """'function @ src/file.rs:line' where the frame is in cchc's own source."""
    m = re.search(r": (.*) \((src/[\w/]+\.rs):(\d+)", frame)
    if m and os.path.exists(os.path.join(root, m.group(2))):
        return f"{m.group(1)[:60]} @ {m.group(2)}:{m.group(3)}"
    return None


def site(stack):
    mine = [o for o in (own(frames[i]) for i in stack) if o][:depth]
    return " < ".join(mine) if mine else "(outside cchc) " + frames[stack[0]][:80]


owners = collections.Counter()
for p in points:
    if p.get("gb"):
        owners[site(p["fs"])] += p["gb"]
print(f"heap at its peak: {total / 1e6:.1f} MB")
for name, size in owners.most_common(top):
    print(f"{size / 1e6:8.1f} MB {100 * size / total:5.1f} %  {name}")
