#!/usr/bin/env bash
# Compiles and lints infra/bicep with the Bicep CLI from NuGet (no az CLI, no download from GitHub),
# then checks the compiled ARM template for identity-based storage and the absence of any storage key.
# Fails on any compile error, on any lint warning (rules turned off carry their reason in
# bicepconfig.json), and on a missing or forbidden setting. Run from anywhere; called by ./build.sh test.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BICEP_VERSION="0.49.2"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { printf 'bicep check: FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'bicep check: ok: %s\n' "$*"; }

find_bicep() {
  local packages
  packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')}"
  printf '%s/azure.bicep.commandline.linux-x64/%s/tools/bicep' "${packages%/}" "$BICEP_VERSION"
}

dotnet restore "$HERE/tools/bicep-tool.proj" --nologo -v quiet >/dev/null
BICEP="$(find_bicep)"
[ -f "$BICEP" ] || fail "Bicep CLI not found at $BICEP after restore"
# NuGet extraction may drop the executable bit.
[ -x "$BICEP" ] || chmod u+x "$BICEP"
"$BICEP" --version

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# Build: errors fail the build; warnings are reported by lint below.
"$BICEP" build "$HERE/main.bicep" --outdir "$OUT" 2>"$OUT/build.log" || { cat "$OUT/build.log" >&2; fail "bicep build"; }
pass "bicep build"

# Lint every file (main.bicep lints its modules too; the pattern also catches unreferenced modules).
lint_rc=0
"$BICEP" lint --pattern "$HERE/**/*.bicep" >"$OUT/lint.log" 2>&1 || lint_rc=$?
if [ "$lint_rc" -ne 0 ] || grep -Eq ': (Warning|Error) ' "$OUT/lint.log"; then
  sort -u "$OUT/lint.log" >&2
  fail "bicep lint reported warnings or errors; fix them or justify the rule in bicepconfig.json"
fi
pass "bicep lint (no warnings)"

# The example parameters file names only parameters main.bicep declares.
for parameter in $(grep -oE '^    "[A-Za-z0-9]+": \{' "$HERE/main.parameters.json" | sed -E 's/^ *"([^"]+)".*/\1/'); do
  grep -Eq "^param ${parameter} " "$HERE/main.bicep" || fail "main.parameters.json sets '$parameter', which main.bicep does not declare"
done
pass "main.parameters.json matches main.bicep"

ARM="$OUT/main.json"
[ -s "$ARM" ] || fail "no compiled template at $ARM"

# Identity-based storage: each setting must be present by name in the compiled template.
required=(
  AzureWebJobsStorage__credential AzureWebJobsStorage__clientId
  AzureWebJobsStorage__blobServiceUri AzureWebJobsStorage__queueServiceUri AzureWebJobsStorage__tableServiceUri
  Storage__TableServiceUri Storage__BlobServiceUri Storage__QueueServiceUri Storage__ManagedIdentityClientId
  CollectQueue ForecastQueue ApplyQueue Kubernetes__RequestsPerSecond Kubernetes__RequestBurst Kubernetes__BudgetInstances
  APPLICATIONINSIGHTS_CONNECTION_STRING APPLICATIONINSIGHTS_AUTHENTICATION_STRING
  Kubernetes__Mode Kubernetes__ClusterUrl Kubernetes__CertificateAuthorityData Kubernetes__ManagedIdentityClientId
  Admission__PathSecret Thoras__ScalingPaused Thoras__ControlPlaneNamespace
  CollectSchedule ForecastSchedule ApplySchedule SyncSchedule HousekeepingSchedule
  Dashboard__ClusterName Auth__TrustAppServicePrincipal MALLOC_ARENA_MAX
)
for name in "${required[@]}"; do
  grep -Eq "[\"']${name}[\"']" "$ARM" || fail "compiled template lacks app setting $name"
done
grep -Eq "'AzureWebJobsStorage__credential', 'managedidentity'" "$ARM" || fail "AzureWebJobsStorage__credential is not managedidentity"
grep -Eq '"allowSharedKeyAccess": false' "$ARM" || fail "storage account does not turn shared keys off"
# Storage Queue Data Contributor: the fan-out's queues are reached with the app identity, not a key.
grep -q '974c5e8b-45b9-4653-ba55-5f855dd0fb88' "$ARM" || fail "compiled template lacks the Storage Queue Data Contributor role assignment"
pass "identity-based storage settings present"

# No storage key or connection string, and no instrumentation key, anywhere in the template.
forbidden=('listKeys(' 'listAccountSas(' 'AccountKey=' 'DefaultEndpointsProtocol' 'SharedAccessSignature=' 'APPINSIGHTS_INSTRUMENTATIONKEY')
for needle in "${forbidden[@]}"; do
  if grep -qiF "$needle" "$ARM"; then fail "compiled template contains $needle"; fi
done
# A plain AzureWebJobsStorage setting would be a connection string.
if grep -Eq "[\"']AzureWebJobsStorage[\"']" "$ARM"; then fail "compiled template sets AzureWebJobsStorage (a connection string)"; fi
pass "no storage key, connection string or instrumentation key"

# App Service Authentication is an option, off by default, that never blocks the webhook or the health probe.
grep -q "'authsettingsV2'" "$ARM" || fail "compiled template lacks the App Service Authentication option"
grep -q '"unauthenticatedClientAction": "AllowAnonymous"' "$ARM" || fail "App Service Authentication must let anonymous requests through (webhook, health)"
grep -qF "\"condition\": \"[not(empty(parameters('appServiceAuthClientId')))]\"" "$ARM" || fail "App Service Authentication is not conditional on appServiceAuthClientId"
pass "App Service Authentication option (off unless appServiceAuthClientId is set)"
