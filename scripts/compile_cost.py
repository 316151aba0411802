#!/usr/bin/env python3
"""What `#[derive(SsmConfig)]` costs in compile time, measured beside baselines.

Builds one scratch crate (under target/compile-cost) with three binaries
holding the same struct of N fields (default 200):

  plain  - the struct with `#[derive(Debug)]` only
  serde  - `#[derive(Debug, serde::Deserialize)]`, parsed from JSON in main
  ssm    - `#[derive(Debug, SsmConfig)]` with a mix of attributes (paths,
           defaults, secrets, lists, options), fetched in main

Dependencies are built once first; then each round touches and rebuilds
each binary in turn (interleaved, so machine noise hits all three alike)
and the median wall time of each is reported, with the derive's cost as the
difference to `plain` and as a ratio to serde's derive.

    python3 scripts/compile_cost.py [--fields 200] [--rounds 5]
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


def source(kind: str, fields: int) -> str:
    derives = {
        "plain": "#[derive(Debug)]",
        "serde": "#[derive(Debug, serde::Deserialize)]",
        "ssm": '#[derive(Debug, SsmConfig)]\n#[ssm(prefix = "/{APP_ENV}/big", max_age = 300)]',
    }[kind]
    lines = [
        "#![allow(dead_code)]",
        "use ssm_config::SsmConfig;" if kind == "ssm" else "",
        derives,
        "pub struct Big {",
    ]
    for i in range(fields):
        attr, decl = field(i)
        if kind == "ssm" and attr:
            lines.append(attr)
        if kind != "ssm":
            decl = decl.replace("ssm_config::Secret<String>", "String")
        lines.append(decl)
    lines.append("}")
    # Each binary uses its struct the way an application does, so the code
    # the derive generates is instantiated and compiled, not just checked.
    lines.append(
        {
            "plain": 'fn main() { println!("{}", std::mem::size_of::<Big>()); }',
            "serde": 'fn main() { println!("{}", serde_json::from_str::<Big>("{}").is_err()); }',
            "ssm": "fn main() { let source = ssm_config::MemorySource::new(); "
            "drop(Big::fetch(&source)); drop(Big::parameters()); }",
        }[kind]
    )
    return "\n".join(line for line in lines if line) + "\n"


KINDS = ("plain", "serde", "ssm")


def write_crate(sizes: list[int]) -> None:
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
    for fields in sizes:
        write_binaries(fields)


def write_binaries(fields: int) -> None:
    for kind in KINDS:
        (SCRATCH / "src" / "bin" / f"{kind}_{fields}.rs").write_text(source(kind, fields))


def build(binary: str) -> float:
    path = SCRATCH / "src" / "bin" / f"{binary}.rs"
    path.touch()
    env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target"))
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
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    write_crate(args.fields)
    binaries = [f"{kind}_{n}" for n in args.fields for kind in KINDS]
    for binary in binaries:
        build(binary)  # dependencies and a first build, not measured
    times: dict[str, list[float]] = {binary: [] for binary in binaries}
    for _ in range(args.rounds):
        for binary in binaries:
            times[binary].append(build(binary))

    median = {binary: statistics.median(t) for binary, t in times.items()}
    print(f"debug build of one binary, median of {args.rounds} interleaved rounds")
    print(f"{'fields':>6} {'variant':<8} {'median s':>9} {'min s':>7} {'max s':>7} {'over plain s':>13}")
    for n in args.fields:
        plain = median[f"plain_{n}"]
        for kind in KINDS:
            t = times[f"{kind}_{n}"]
            m = median[f"{kind}_{n}"]
            print(f"{n:>6} {kind:<8} {m:>9.2f} {min(t):>7.2f} {max(t):>7.2f} {m - plain:>13.2f}")
    if len(args.fields) >= 2:
        low, high = min(args.fields), max(args.fields)
        for kind in ("serde", "ssm"):
            per_field = (
                (median[f"{kind}_{high}"] - median[f"plain_{high}"])
                - (median[f"{kind}_{low}"] - median[f"plain_{low}"])
            ) / (high - low)
            print(f"{kind}: {per_field * 1000:.2f} ms per field beyond the first {low}")


if __name__ == "__main__":
    main()
