#!/usr/bin/env bash
# Runs the benchmark harness (Bff.Bench) in Release; arguments pass through, e.g. --duration 5 --sessions 100000, or --smoke.
set -euo pipefail; cd "$(dirname "$0")/.." && exec dotnet run -c Release --project Bff.Bench -- "$@"
