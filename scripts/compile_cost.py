#!/usr/bin/env python3
"""What `#[derive(SsmConfig)]` costs in compile time, measured beside baselines.

Builds one scratch crate (under target/compile-cost) with three binaries
for each shape, holding the same fields. A flat shape is one struct of N
fields (`--fields`); a nested shape RxC (`--nested`) is R structs of C
fields, each a nested field of one outer struct, so R*C parameters in all.
Every nested shape is measured beside the flat struct of R*C fields.

  plain  - the struct with `#[derive(Debug)]` only
  serde  - `#[derive(Debug, serde::Deserialize)]`, parsed from JSON in main
  ssm    - `#[derive(Debug, SsmConfig)]` with a mix of attributes (paths,
           defaults, secrets, lists, options), fetched in main

Dependencies are built once first; then each round touches and rebuilds
each binary in turn (interleaved, so machine noise hits all three alike)
and the median wall time of each is reported, with the derive's cost as the
difference to `plain` and as a ratio to serde's derive.

    python3 scripts/compile_cost.py [--fields 1 200] [--nested 10x10 30x30] [--rounds 5]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "target" / "compile-cost"


def field(i: int) -> tuple[str, str]:
    """An attribute line and a field, cycling through the common shapes."""
    shape = i % 5
    if shape == 0:
        return "", f"    pub field_{i}: String,"
    if shape == 1:
        return f'    #[ssm(path = "group_{i % 7}/port_{i}", default = 8080)]', f"    pub port_{i}: u16,"
    if shape == 2:
        return f'    #[ssm(path = "secrets/key_{i}")]', f"    pub secret_{i}: ssm_config::Secret<String>,"
    if shape == 3:
        return "", f"    pub list_{i}: Vec<String>,"
    return "", f"    pub maybe_{i}: Option<u64>,"


DERIVES = {
    "plain": "#[derive(Debug)]",
    "serde": "#[derive(Debug, serde::Deserialize)]",
    "ssm": "#[derive(Debug, SsmConfig)]",
}


def struct(kind: str, name: str, numbers: range, attrs: str = "") -> list[str]:
    """A struct whose fields cycle through the common shapes."""
    lines = [DERIVES[kind]]
    if kind == "ssm" and attrs:
        lines.append(attrs)
    lines.append(f"pub struct {name} {{")
    for i in numbers:
        attr, decl = field(i)
        if kind == "ssm" and attr:
            lines.append(attr)
        if kind != "ssm":
            decl = decl.replace("ssm_config::Secret<String>", "String")
        lines.append(decl)
    lines.append("}")
    return lines


def source(kind: str, shape: "Shape") -> str:
    lines = ["#![allow(dead_code)]", "use ssm_config::SsmConfig;" if kind == "ssm" else ""]
    container = '#[ssm(prefix = "/{APP_ENV}/big", max_age = 300)]'
    if shape.groups == 0:
        lines += struct(kind, "Big", range(shape.fields), container)
    else:
        per_group = shape.fields
        for g in range(shape.groups):
            lines += struct(kind, f"Group{g}", range(g * per_group, (g + 1) * per_group))
        lines += [DERIVES[kind], container if kind == "ssm" else "", "pub struct Big {"]
        for g in range(shape.groups):
            if kind == "ssm":
                lines.append(f'    #[ssm(nested = "group_{g}")]')
            lines.append(f"    pub group_{g}: Group{g},")
        lines.append("}")
    # Each binary uses its struct the way an application does, so the code
    # the derive generates is instantiated and compiled, not just checked.
    lines.append(
        {
            "plain": 'fn main() { println!("{}", std::mem::size_of::<Big>()); }',
            "serde": 'fn main() { println!("{}", serde_json::from_str::<Big>("{}").is_err()); }',
            "ssm": "fn main() { let source = ssm_config::MemorySource::new(); "
            "drop(<Big as ssm_config::SsmConfig>::fetch(source.clone())); drop(<Big as ssm_config::SsmConfig>::loader().plan()); }",
        }[kind]
    )
    return "\n".join(line for line in lines if line) + "\n"


class Shape:
    """`groups` nested structs of `fields` fields each; 0 groups is flat."""

    def __init__(self, groups: int, fields: int):
        self.groups, self.fields = groups, fields

    @staticmethod
    def parse(text: str) -> "Shape":
        groups, fields = text.lower().split("x")
        return Shape(int(groups), int(fields))

    @property
    def parameters(self) -> int:
        return self.fields * max(self.groups, 1)

    @property
    def label(self) -> str:
        return f"{self.groups}x{self.fields}" if self.groups else str(self.fields)

    @property
    def tag(self) -> str:
        return f"nested_{self.groups}x{self.fields}" if self.groups else f"flat_{self.fields}"


KINDS = ("plain", "serde", "ssm")


def write_crate(shapes: list[Shape]) -> None:
    (SCRATCH / "src" / "bin").mkdir(parents=True, exist_ok=True)
    (SCRATCH / "Cargo.toml").write_text(
        f"""[package]
name = "compile-cost"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
ssm-config = {{ path = "{ROOT / 'ssm-config'}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
"""
    )
    # The workspace's lock file, so the scratch crate reuses its builds.
    shutil.copy(ROOT / "Cargo.lock", SCRATCH / "Cargo.lock")
    shutil.rmtree(SCRATCH / "src" / "bin")
    (SCRATCH / "src" / "bin").mkdir()
    for shape in shapes:
        for kind in KINDS:
            (SCRATCH / "src" / "bin" / f"{kind}_{shape.tag}.rs").write_text(source(kind, shape))


def build(binary: str) -> float:
    path = SCRATCH / "src" / "bin" / f"{binary}.rs"
    path.touch()
    # serde's derive on 1,800 fields overflows rustc's default stack in
    # LLVM's debug info; every variant gets the same larger stack.
    env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target"), RUST_MIN_STACK="268435456")
    start = time.perf_counter()
    subprocess.run(
        ["cargo", "build", "--quiet", "--bin", binary],
        cwd=SCRATCH,
        env=env,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fields", type=int, nargs="+", default=[1, 200])
    parser.add_argument("--nested", nargs="*", default=[], metavar="RxC")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    nested = [Shape.parse(text) for text in args.nested]
    flat_sizes = sorted(set(args.fields) | {shape.parameters for shape in nested})
    shapes = [Shape(0, n) for n in flat_sizes] + nested
    write_crate(shapes)
    binaries = [f"{kind}_{shape.tag}" for shape in shapes for kind in KINDS]
    for binary in binaries:
        build(binary)  # dependencies and a first build, not measured
    times: dict[str, list[float]] = {binary: [] for binary in binaries}
    for _ in range(args.rounds):
        for binary in binaries:
            times[binary].append(build(binary))

    median = {binary: statistics.median(t) for binary, t in times.items()}
    print(f"debug build of one binary, median of {args.rounds} interleaved rounds")
    print(
        f"{'shape':>7} {'params':>6} {'variant':<8} {'median s':>9} {'min s':>7} {'max s':>7} {'over plain s':>13}"
    )
    for shape in shapes:
        plain = median[f"plain_{shape.tag}"]
        for kind in KINDS:
            t = times[f"{kind}_{shape.tag}"]
            m = median[f"{kind}_{shape.tag}"]
            print(
                f"{shape.label:>7} {shape.parameters:>6} {kind:<8} {m:>9.2f} {min(t):>7.2f} {max(t):>7.2f} {m - plain:>13.2f}"
            )
    flat = [shape for shape in shapes if not shape.groups]
    if len(flat) >= 2:
        low, high = flat[0].tag, flat[-1].tag
        span = flat[-1].parameters - flat[0].parameters
        for kind in ("serde", "ssm"):
            per_field = (
                (median[f"{kind}_{high}"] - median[f"plain_{high}"])
                - (median[f"{kind}_{low}"] - median[f"plain_{low}"])
            ) / span
            print(f"{kind}: {per_field * 1000:.2f} ms per field beyond the first {flat[0].parameters}")
    for shape in nested:
        ratio = median[f"ssm_{shape.tag}"] / median[f"ssm_flat_{shape.parameters}"]
        print(
            f"ssm {shape.label} nested / flat {shape.parameters}: {ratio:.2f}x "
            f"(serde {median[f'serde_{shape.tag}'] / median[f'serde_flat_{shape.parameters}']:.2f}x)"
        )


if __name__ == "__main__":
    main()
