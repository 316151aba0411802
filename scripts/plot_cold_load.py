#!/usr/bin/env python3
"""Plots cold-load time against the number of names, one line per strategy,
from the CSV that `cargo bench --bench cold_load` writes. Plain SVG, no
plotting library needed.

    python3 scripts/plot_cold_load.py [target/bench/cold_load_groups_of_8.csv] [benches/cold_load.svg]
"""

import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#a6761d", "#222222", "#e6ab02"]
WIDTH, HEIGHT = 720, 440
LEFT, RIGHT, TOP, BOTTOM = 80, 250, 40, 60


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/bench/cold_load_groups_of_8.csv"
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "benches/cold_load.svg"
    series: dict[str, list[tuple[int, float]]] = {}
    with open(source) as f:
        for row in csv.DictReader(f):
            label = row["strategy"] + ("" if row["delay_ms"] != "0" else " (no added delay)")
            series.setdefault(label, []).append((int(row["names"]), float(row["median_ms"])))

    xs = sorted({n for points in series.values() for n, _ in points})
    all_ms = [ms for points in series.values() for _, ms in points]
    y_low = 10 ** math.floor(math.log10(min(all_ms)))
    y_high = 10 ** math.ceil(math.log10(max(all_ms)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(n: int) -> float:
        span = math.log10(xs[-1]) - math.log10(xs[0])
        return LEFT + (math.log10(n) - math.log10(xs[0])) / span * plot_w

    def y_at(ms: float) -> float:
        span = math.log10(y_high) - math.log10(y_low)
        return TOP + plot_h - (math.log10(ms) - math.log10(y_low)) / span * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="22" font-size="14">Cold load through 20 ms round trips (moto behind a loopback proxy)</text>',
    ]
    decade = y_low
    while decade <= y_high:
        y = y_at(decade)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{decade:g} ms</text>')
        decade *= 10
    for n in xs:
        x = x_at(n)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}" stroke="#eee"/>')
        parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{n}</text>')
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 16}" text-anchor="middle">names in the struct (plus 2 by-path groups)</text>'
    )
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>')
    for i, (label, points) in enumerate(series.items()):
        color = COLORS[i % len(COLORS)]
        dash = ' stroke-dasharray="4 3"' if "no added delay" in label else ""
        path = " ".join(f"{x_at(n):.1f},{y_at(ms):.1f}" for n, ms in sorted(points))
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        # A peer measured at one size is a lone marker: make it stand out.
        radius = 3 if len(points) > 1 else 5
        for n, ms in points:
            parts.append(f'<circle cx="{x_at(n):.1f}" cy="{y_at(ms):.1f}" r="{radius}" fill="{color}" fill-opacity="0.7"/>')
        y = TOP + 10 + i * 20
        parts.append(f'<line x1="{WIDTH - RIGHT + 14}" y1="{y}" x2="{WIDTH - RIGHT + 34}" y2="{y}" stroke="{color}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 40}" y="{y + 4}">{label}</text>')
    parts.append("</svg>")
    output.write_text("\n".join(parts) + "\n")
    print(f"written: {output}")


if __name__ == "__main__":
    main()
