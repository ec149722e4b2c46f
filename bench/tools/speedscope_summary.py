#!/usr/bin/env python3
"""Summarise a BenchmarkDotNet EventPipe profile (a *.speedscope.json written by `--profiler EP`).

Usage: speedscope_summary.py <file.speedscope.json> <frame substring> [top]

Keeps the samples whose stack holds a frame containing <frame substring> (e.g. "ReadCitingPapersAsync"), and
prints, as shares of their time: the frames called directly below the innermost such frame, and the deepest
managed frame of each sample (where native time, UNMANAGED_CODE_TIME, is charged to the P/Invoke that entered it).
"""
import collections
import json
import sys


def main(path, root, top):
    with open(path) as f:
        profile = json.load(f)
    names = [frame["name"] for frame in profile["shared"]["frames"]]
    below, deepest, total = collections.Counter(), collections.Counter(), 0.0

    def add(stack, weight):
        nonlocal total
        frames = [names[i] for i in stack]
        hits = [i for i, name in enumerate(frames) if root in name]
        if not hits:
            return
        total += weight
        if hits[-1] + 1 < len(frames):
            below[frames[hits[-1] + 1]] += weight
        managed = next((n for n in reversed(frames) if n not in ("CPU_TIME", "UNMANAGED_CODE_TIME")), None)
        if managed is not None:
            deepest[managed] += weight

    for thread in profile["profiles"]:
        if thread["type"] == "evented":
            stack, last = [], None
            for event in thread["events"]:
                if stack and last is not None:
                    add(stack, event["at"] - last)
                last = event["at"]
                if event["type"] == "O":
                    stack.append(event["frame"])
                else:
                    stack.pop()
        else:
            for stack, weight in zip(thread["samples"], thread["weights"]):
                add(stack, weight)

    if total == 0:
        sys.exit(f"no sample has a frame containing {root!r}")
    for title, counter in ((f"called below {root!r}", below), ("deepest managed frame", deepest)):
        print(title)
        for name, weight in counter.most_common(top):
            print(f"  {100 * weight / total:5.1f} %  {name[:140]}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 15)
