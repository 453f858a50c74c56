#!/usr/bin/env bash
# TaskQueue build entry point.
#   ./build.sh quickstart   run the quick-start sample (in-memory store, nothing else needed)
#   ./build.sh test         install what the tests need (when root and missing), then run every test
#   ./build.sh public-api   rewrite src/*/PublicAPI.Unshipped.txt from the current public API (after an API change)
#   ./build.sh pack         pack the shipped packages (TaskQueue, .Hosting, .Redis, .OpenTelemetry, .Cli, .Dashboard) into artifacts/packages (a local feed)
set -euo pipefail
cd "$(dirname "$0")"

ensure_system_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # The Sentinel tests run redis-server in sentinel mode; Debian ships that mode's files in its own package.
  command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  [ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
  # The dashboard's browser tests drive the system chromium (Playwright never downloads one).
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})" >&2
    return 1
  fi
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

run_tests() {
  ensure_system_packages
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  dotnet build TaskQueue.sln -c Release
  local log
  log=$(mktemp)
  set +e
  dotnet test TaskQueue.sln -c Release --no-build 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # One closing line over every test assembly: "N passed, N failed".
  awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  rm -f "$log"
  return "$status"
}

# The shipped packages, built in Release and packed into one folder that works as a NuGet feed.
# PACKAGES_DIR and CONFIGURATION override the defaults; further arguments go to dotnet pack (the packed-package test
# passes --no-build and a version of its own).
pack() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  local out=${PACKAGES_DIR:-artifacts/packages} project
  for project in src/TaskQueue src/TaskQueue.Hosting src/TaskQueue.Redis src/TaskQueue.OpenTelemetry src/TaskQueue.Cli src/TaskQueue.Dashboard src/TaskQueue.Testing; do
    dotnet pack "$project" -c "${CONFIGURATION:-Release}" -o "$out" "$@"
  done
  echo "packages in $(cd "$out" && pwd)"
}

# The public API is locked by PublicApiAnalyzers (RS0016/RS0017 fail the build). After an intended API change,
# start each Unshipped.txt afresh and let the analyzer's code fix list everything not yet in Shipped.txt.
public_api() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  local name
  for name in TaskQueue TaskQueue.Hosting TaskQueue.Redis TaskQueue.OpenTelemetry TaskQueue.Dashboard TaskQueue.Testing; do
    printf '#nullable enable\n' > "src/$name/PublicAPI.Unshipped.txt"
    dotnet format analyzers "src/$name/$name.csproj" --diagnostics RS0016 --severity warn
  done
}

case "${1:-test}" in
  quickstart) exec dotnet run --project samples/QuickStart -c Release ;;
  test) run_tests ;;
  pack) shift; pack "$@" ;;
  public-api) public_api ;;
  *) echo "usage: $0 [quickstart|test|pack|public-api]" >&2; exit 2 ;;
esac
