#!/usr/bin/env bash
# Redis Cluster figures of docs/benchmarks.md ("Redis Cluster", issue #13), each configuration interleaved with the
# ones it is compared to (A, B, C, A, B, C, ...): ROUNDS rounds (default 5) of one warm-up + 1 measured run per
# invocation, every invocation starting its own servers. Lines go to $OUT/cluster.tsv (the results.tsv format, one
# line per run and row), the commands to $OUT/cluster-commands.txt; the medians are printed at the end.
#   benchmarks/cluster-bench.sh [throughput] [durability] [latency]     (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/benchmarks/results}
ROUNDS=${ROUNDS:-5}
JOBS=${JOBS:-100000}
SERIAL=${SERIAL:-20000}
mkdir -p "$OUT"
TSV=$OUT/cluster.tsv
dotnet build -c Release benchmarks/TaskQueue.Benchmarks -v quiet -nologo >/dev/null
BENCH="dotnet benchmarks/TaskQueue.Benchmarks/bin/Release/net10.0/TaskQueue.Benchmarks.dll"
run() { echo "+ $BENCH $* --runs 1 --results $TSV  # load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/cluster-commands.txt"; $BENCH "$@" --runs 1 --results "$TSV" | grep -E '^  run|^==' || echo "!! $1 failed" | tee -a "$OUT/cluster-commands.txt"; }
parts=${*:-throughput durability latency}

for round in $(seq "$ROUNDS"); do
  echo "== round $round"
  for part in $parts; do
    case $part in
      throughput)
        run add-bulk --jobs "$JOBS"
        run drain --concurrency 100 --jobs "$JOBS"
        run cluster --masters 0 --queues 12 --jobs "$JOBS"
        run cluster --masters 1 --queues 12 --jobs "$JOBS"
        run cluster --masters 3 --queues 12 --jobs "$JOBS"
        ;;
      durability)
        for r in 0 1; do
          run cluster --masters 3 --replicas 1 --queues 12 --enqueue-replicas $r --phases serial,bulk --jobs "$SERIAL"
        done
        ;;
      latency)
        run latency --rate 1000 --seconds 5
        run cluster --masters 0 --phases latency --rate 1000 --seconds 5
        run cluster --masters 3 --phases latency --rate 1000 --seconds 5
        ;;
    esac
  done
done

# Medians per (workload, config) over the rounds: jobs/s, Redis CPU, client CPU, p50/p99.
python3 - "$TSV" <<'EOF'
import csv, statistics, sys
rows = {}
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f, delimiter='\t'):
        rows.setdefault((r['workload'], r['config']), []).append(r)
def med(rs, k):
    v = [float(r[k]) for r in rs if r[k] not in ('', 'n/a')]
    return statistics.median(v) if v else float('nan')
print('| workload | config | runs | jobs/s median (min–max) | Redis CPU ms/1k | client CPU ms/1k | p50 ms | p99 ms | delivery | load (1 min) |')
print('|---|---|---:|---:|---:|---:|---:|---:|---|---|')
for (w, c), rs in rows.items():
    js = sorted(float(r['median_jobs_s']) for r in rs)
    print(f"| {w} | {c} | {len(rs)} | {statistics.median(js):,.0f} ({js[0]:,.0f}–{js[-1]:,.0f}) | {med(rs,'redis_cpu_ms_per_1k'):.1f} | {med(rs,'client_cpu_ms_per_1k'):.1f} | {med(rs,'p50_ms'):.3f} | {med(rs,'p99_ms'):.3f} | {'exact' if all(r['delivery']=='exact' for r in rs) else 'BROKEN'} | {' / '.join(r['load'] for r in rs)} |")
EOF
