#!/usr/bin/env python3
"""The Python peers load the cold-load benchmark's names and paths.

Run by `cargo bench --bench cold_load` with the test virtualenv's Python,
against the benchmark's proxy. It reads {"names": [...], "paths": [...]}
on stdin, loads them once the way the chosen library's users do, and prints
{"peer": ..., "ms": wall time}. The benchmark runs it once per peer and
round, so that the proxy counts each load's requests apart.

- ssm-cache: an SSMParameterGroup holding every name, refreshed once
  (GetParameters of 10, one call after the other), and `parameters(path)`
  for each path.
- Powertools: `SSMProvider.get_parameters_by_name` for the names
  (chunks of 10, one after the other), and `get_multiple(path)` for each path.

A fresh boto3 client is made before each round and not timed, so the time
is the library's strategy, not client start-up.
"""

import argparse
import json
import sys
import time

import boto3
from aws_lambda_powertools.utilities.parameters import SSMProvider
from ssm_cache import SSMParameterGroup


def client(endpoint: str):
    return boto3.client(
        "ssm",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def ssm_cache(endpoint: str, names: list[str], paths: list[str]) -> float:
    SSMParameterGroup.set_ssm_client(client(endpoint))
    group = SSMParameterGroup()
    parameters = [group.parameter(name) for name in names]
    started = time.perf_counter()
    group.refresh()
    for path in paths:
        group.parameters(path)
    elapsed = time.perf_counter() - started
    assert all(p.value == "v" for p in parameters)
    return elapsed


def powertools(endpoint: str, names: list[str], paths: list[str]) -> float:
    provider = SSMProvider(boto3_client=client(endpoint))
    started = time.perf_counter()
    values = provider.get_parameters_by_name(parameters={name: {} for name in names}, decrypt=True)
    for path in paths:
        provider.get_multiple(path, recursive=True, decrypt=True)
    elapsed = time.perf_counter() - started
    assert len(values) == len(names)
    return elapsed


PEERS = {"ssm-cache": ("ssm-cache 3.0.0", ssm_cache), "powertools": ("Powertools 3.37.0", powertools)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--peer", choices=sorted(PEERS), required=True)
    args = parser.parse_args()
    work = json.load(sys.stdin)
    label, load = PEERS[args.peer]
    ms = load(args.endpoint, work["names"], work["paths"]) * 1000
    print(json.dumps({"peer": label, "ms": ms}))


if __name__ == "__main__":
    main()
