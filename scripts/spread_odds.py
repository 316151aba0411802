#!/usr/bin/env python3
"""How often a change-event wave touches the quota, by spread window.

N instances each send one call at a uniform random point of a window of
`margin` x the floor (N / quota seconds), against a token bucket of `quota`
tokens a second holding at most `quota`: the model of the fleet benchmark's
store. Prints, per margin, the share of waves with at least one throttled
call and the most throttled calls in one wave.

    python3 scripts/spread_odds.py               # 10,000 instances, 1,000 waves a margin
    python3 scripts/spread_odds.py 1000 200      # instances, waves
"""

import random
import sys


def throttled_calls(instances, window, quota):
    tokens, at, throttled = float(quota), 0.0, 0
    for t in sorted(random.random() * window for _ in range(instances)):
        tokens = min(quota, tokens + (t - at) * quota)
        at = t
        if tokens >= 1:
            tokens -= 1
        else:
            throttled += 1
    return throttled


def main():
    instances = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    waves = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    quota = 40
    floor = instances / quota
    print(f"{instances} instances, one call each, quota {quota}/s, floor {floor:.0f} s, {waves} waves a margin")
    print("| margin | window | waves with a throttled call | most throttled in one wave |")
    print("|---:|---:|---:|---:|")
    for margin in (1.1, 1.15, 1.2, 1.25):
        results = [throttled_calls(instances, floor * margin, quota) for _ in range(waves)]
        share = sum(1 for r in results if r) / waves
        print(f"| {margin}x | {floor * margin:.0f} s | {share:.1%} | {max(results)} |")


if __name__ == "__main__":
    main()
