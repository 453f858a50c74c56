#!/usr/bin/env bash
# Runs the whole benchmark matrix and writes the tables into docs/benchmarks.md.
#   benchmarks/run-all.sh            full pass: 1 warm-up + 5 measured runs, full job counts (long: ~30-60 min on 2 cores)
#   QUICK=1 benchmarks/run-all.sh    reduced pass: 1 warm-up + 2 runs, fewer jobs
#   MICRO=1 ...                      also run the BenchmarkDotNet micro benchmarks (--job short when QUICK=1)
#   AOT=0 ...                        skip the NativeAOT vs JIT worker comparison
# Installs what is missing: redis-server/redis-benchmark (apt-get), node + npm (apt-get), the BullMQ peer (npm install: the lock file pins versions; `npm ci` refuses it because the registry copy here lacks the optional darwin/win32 msgpackr-extract builds).
# Not run in CI: figures depend on the machine; the load (uptime) is recorded next to every row.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/benchmarks/results}
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
rm -f "$RESULTS" "$OUT/aot.tsv"
# Micro benchmarks are rerun only with MICRO=1; otherwise the last micro.md stays in the report.
if [ "${MICRO:-0}" = 1 ]; then rm -f "$OUT/micro.md"; fi

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v redis-benchmark >/dev/null || need_apt+=(redis-tools)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
# NativeAOT publishing (the AOT rows) links with clang against zlib.
command -v clang >/dev/null || need_apt+=(clang)
[ -e /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need_apt[@]}"
fi
# redis-server from apt may start a system instance; the harness starts its own on a free port and never uses it.
if [ ! -d benchmarks/peers/bullmq/node_modules/bullmq ]; then
  (cd benchmarks/peers/bullmq && npm install --no-audit --no-fund)
fi

dotnet build -c Release benchmarks/TaskQueue.Benchmarks -v quiet -nologo
BENCH="dotnet benchmarks/TaskQueue.Benchmarks/bin/Release/net10.0/TaskQueue.Benchmarks.dll"

if [ "${QUICK:-0}" = 1 ]; then
  RUNS=2; ADD=10000; BULK=50000; DRAIN=30000; HF=1000; HFC=2000; LAT_S=3; IDLE=4; CEIL=200000; STEADY_S=10; DELAYED=10000
else
  RUNS=5; ADD=20000; BULK=200000; DRAIN=100000; HF=5000; HFC=10000; LAT_S=10; IDLE=10; CEIL=1000000; STEADY_S=30; DELAYED=10000
fi

run() { echo "+ $BENCH $* --runs $RUNS --results $RESULTS" | tee -a "$OUT/commands.txt"; $BENCH "$@" --runs "$RUNS" --results "$RESULTS" || echo "!! $1 failed (exit $?)" | tee -a "$OUT/commands.txt"; }
: > "$OUT/commands.txt"

run ceiling --jobs $CEIL
# The bare mechanism (raw StackExchange.Redis, minimal scripts, our batching): what add-bulk and drain c=100 are a fraction of.
run mechanism-add-bulk --jobs $BULK
run mechanism-drain --concurrency 100 --jobs $DRAIN
for peer in "" bullmq- ; do
  run ${peer}add-serial --jobs $ADD
  run ${peer}add-concurrent --jobs $((ADD * 2))
  run ${peer}add-bulk --jobs $BULK
  for c in 1 10 100; do run ${peer}drain --concurrency $c --jobs $([ $c = 1 ] && echo $((DRAIN / 5)) || echo $DRAIN); done
done
run hangfire-add-serial --jobs $HF
run hangfire-add-concurrent --jobs $HFC
run hangfire-add-bulk --jobs $HF
for c in 1 10 100; do run hangfire-drain --concurrency $c --jobs $HF; done
for rate in 100 1000 5000; do
  run latency --rate $rate --seconds $LAT_S
  run bullmq-latency --rate $rate --seconds $LAT_S
done
run idle-start --jobs $IDLE
run idle-baseline --jobs $IDLE
# Steady state (producer and worker together), 10k delayed jobs due at once (lateness), 1% failing jobs retried once.
run steady --seconds $STEADY_S
run bullmq-steady --seconds $STEADY_S
run delayed-burst --jobs $DELAYED
run bullmq-delayed-burst --jobs $DELAYED
run failing --jobs $DRAIN
run bullmq-failing --jobs $DRAIN
# Durability variant: the same server with appendonly everysec, for the rows that write the most.
# The non-default StackExchange.Redis setting (RedisJobStoreOptions.DedicatedIoThreads = true), for comparison.
run add-serial --jobs $ADD --dedicated-io
run drain --concurrency 100 --jobs $DRAIN --dedicated-io
run latency --rate 1000 --seconds $LAT_S --dedicated-io
run add-bulk --jobs $BULK --aof
run drain --concurrency 100 --jobs $DRAIN --aof
run bullmq-add-bulk --jobs $BULK --aof
run bullmq-drain --concurrency 100 --jobs $DRAIN --aof

if [ "${AOT:-1}" = 1 ]; then
  # NativeAOT vs JIT of samples/Worker (in-memory store): size on disk, "start to first job" of --demo, idle RSS.
  dotnet publish -c Release samples/Worker -r linux-x64 -o "$OUT/aot" -v quiet -nologo
  dotnet publish -c Release samples/Worker -r linux-x64 -p:PublishAot=false --self-contained false -o "$OUT/jit" -v quiet -nologo
  for variant in aot jit; do
    dir=$OUT/$variant
    if [ $variant = aot ]; then size=$(stat -c %s "$dir/TaskQueue.SampleWorker"); else size=$(du -cb "$dir"/*.dll "$dir/TaskQueue.SampleWorker" | tail -1 | cut -f1); fi
    first=""
    for i in 1 2 3 4 5; do
      f=$("$dir/TaskQueue.SampleWorker" --demo 1000 | sed -n 's/^start to first job: \([0-9]*\) ms.*$/\1/p')
      first="$first $f"
    done
    median=$(echo $first | tr ' ' '\n' | sort -n | sed -n 3p)
    "$dir/TaskQueue.SampleWorker" >/dev/null 2>&1 &
    pid=$!
    sleep 3
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    label=$([ $variant = aot ] && echo "NativeAOT (single file)" || echo "JIT (framework-dependent: app dlls + apphost)")
    awk -v l="$label" -v s="$size" -v m="$median" -v f="$first" -v r="$rss" 'BEGIN { printf "%s\t%.1f MB\t%s ms (median of 5:%s)\t%.1f MB\n", l, s / 1048576, m, f, r / 1024 }' >> "$OUT/aot.tsv"
  done
  # The NativeAOT worker on Redis: its own redis-server on a free port, emptied before each start.
  port=$((20000 + RANDOM % 20000))
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --pidfile "$OUT/aot-redis.pid" >/dev/null
  sleep 0.5
  first=""
  for i in 1 2 3 4 5; do
    redis-cli -p "$port" flushall >/dev/null
    f=$("$OUT/aot/TaskQueue.SampleWorker" --demo 1000 --redis "127.0.0.1:$port" | sed -n 's/^start to first job: \([0-9]*\) ms.*$/\1/p')
    first="$first $f"
  done
  kill "$(cat "$OUT/aot-redis.pid")"
  median=$(echo $first | tr ' ' '\n' | sort -n | sed -n 3p)
  size=$(stat -c %s "$OUT/aot/TaskQueue.SampleWorker")
  awk -v s="$size" -v m="$median" -v f="$first" 'BEGIN { printf "NativeAOT on Redis (local redis-server)\t%.1f MB\t%s ms (median of 5:%s)\t–\n", s / 1048576, m, f }' >> "$OUT/aot.tsv"
fi

if [ "${MICRO:-0}" = 1 ]; then
  job=$([ "${QUICK:-0}" = 1 ] && echo "--job short" || echo "")
  (cd "$OUT" && dotnet run -c Release --project "$ROOT/benchmarks/TaskQueue.MicroBenchmarks" -- --filter '*' $job --exporters github)
  cat "$OUT"/BenchmarkDotNet.Artifacts/results/*-report-github.md > "$OUT/micro.md"
fi

{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`$([ "${QUICK:-0}" = 1 ] && echo "QUICK=1 ")benchmarks/run-all.sh\` ($RUNS measured runs after 1 warm-up)."
  echo
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GB RAM; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Versions: .NET $(dotnet --version), $(redis-server --version | cut -d' ' -f1-3), node $(node --version), bullmq $(node -p "require('$ROOT/benchmarks/peers/bullmq/node_modules/bullmq/package.json').version"), ioredis $(node -p "require('$ROOT/benchmarks/peers/bullmq/node_modules/ioredis/package.json').version"), Hangfire.Core 1.8.25, Hangfire.Redis.StackExchange 1.12.0, StackExchange.Redis 2.13.23"
  echo "- Commands: see benchmarks/results/commands.txt (each row is \`$BENCH <workload> ... --runs $RUNS\`)"
} > "$OUT/machine.md"
$BENCH report --results "$RESULTS" --aot "$OUT/aot.tsv" --micro "$OUT/micro.md" --machine "$OUT/machine.md" --doc docs/benchmarks.md
