// Thoras Functions in Azure: a Flex Consumption Function App beside an existing AKS cluster.
// Every connection is identity-based (one user-assigned managed identity); no storage key,
// connection string or kubeconfig is stored anywhere. Deploy steps: docs/deploy.md.

targetScope = 'resourceGroup'

@description('Short name used as the prefix of every resource name.')
@minLength(2)
@maxLength(12)
param name string = 'thoras'

@description('Azure region of the app resources.')
param location string = resourceGroup().location

@description('Tags applied to every resource.')
param tags { *: string } = {}

@description('Name of the existing AKS cluster the app scales.')
param aksClusterName string

@description('Resource group of the AKS cluster. Default: this resource group.')
param aksResourceGroupName string = resourceGroup().name

@description('Base64 PEM of the cluster CA (certificate-authority-data of the kubeconfig). Public data, not a credential.')
param aksCertificateAuthorityData string

@description('How the app identity is authorized on the cluster: rbacWriter (Azure RBAC built-in role) or kubernetesRbac (a ClusterRoleBinding you create). See docs/deploy.md.')
@allowed([
  'rbacWriter'
  'kubernetesRbac'
])
param aksAccessModel string = 'rbacWriter'

@description('Secret path segment of the admission webhook URL, at least 32 characters (e.g. openssl rand -hex 32). Stored in Key Vault.')
@secure()
@minLength(32)
param admissionPathSecret string

@description('Always-ready instances for the HTTP group, which serves the admission webhook.')
@minValue(0)
@maxValue(10)
param httpAlwaysReadyInstances int = 1

@description('Upper bound on Flex Consumption instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Storage SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Collect metrics (6-field NCRONTAB).')
param collectSchedule string = '0 */1 * * * *'

@description('Forecast and publish suggestions (6-field NCRONTAB).')
param forecastSchedule string = '0 */5 * * * *'

@description('Apply suggestions (6-field NCRONTAB).')
param applySchedule string = '30 */1 * * * *'

@description('Sync pause and mode mirrors, finalizers, maintenance windows (6-field NCRONTAB).')
param syncSchedule string = '15 */1 * * * *'

@description('Delete usage and suggestion history past their retention (6-field NCRONTAB).')
param housekeepingSchedule string = '0 7 * * * *'

@description('Start with scaling paused (the app-setting pause holder). Redeploying writes this value again.')
param scalingPaused bool = false

@description('Namespace of the pause ConfigMap and other control-plane objects in the cluster.')
param controlPlaneNamespace string = 'thoras'

@description('Prefix of every table and blob container the app creates.')
param storagePrefix string = 'thoras'

@description('Kubernetes API requests per second the whole app may send, shared by its instances (client-go default: 50). See docs/fanout.md.')
param kubernetesRequestsPerSecond int = 50

@description('Kubernetes API request burst of the whole app, shared like the rate (client-go default: 100).')
param kubernetesRequestBurst int = 100

@description('How many instances share the Kubernetes request budget (each gets rate/N and burst/N). See docs/fanout.md.')
@minValue(1)
param kubernetesBudgetInstances int = 1

@description('Most AIScaleTargets in one fan-out queue message.')
@minValue(1)
@maxValue(250)
param fanoutBatchSize int = 100

@description('Application (client) id of an Entra app registration to put App Service Authentication in front of the app, so dashboard users sign in and are recorded as the actor of their changes. Empty (default): off. See docs/dashboard.md.')
param appServiceAuthClientId string = ''

@description('Entra tenant of that app registration. Default: this subscription\'s tenant.')
param appServiceAuthTenantId string = tenant().tenantId

@description('The cluster name the dashboard header shows. Default: the AKS cluster name.')
param dashboardClusterName string = aksClusterName

@description('Further app settings (name to value) merged over the defaults, for tunables not listed here.')
param extraAppSettings { *: string } = {}

var suffix = uniqueString(subscription().id, resourceGroup().id, name)
var allTags = union(tags, { 'thoras-functions': name })
var deploymentContainerName = 'app-package-${take(suffix, 8)}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${name}-${suffix}'
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${name}${suffix}', 24)
    location: location
    tags: allTags
    skuName: storageSkuName
    deploymentContainerName: deploymentContainerName
  }
}

module storageAccess 'modules/storage-access.bicep' = {
  name: 'storage-access'
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${name}-${suffix}'
    applicationInsightsName: 'appi-${name}-${suffix}'
    location: location
    tags: allTags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: take('kv-${name}-${suffix}', 24)
    location: location
    tags: allTags
    admissionPathSecret: admissionPathSecret
    readerPrincipalId: identity.outputs.principalId
  }
}

module aksAccess 'modules/aks-access.bicep' = {
  name: 'aks-access'
  scope: resourceGroup(aksResourceGroupName)
  params: {
    clusterName: aksClusterName
    principalId: identity.outputs.principalId
    accessModel: aksAccessModel
  }
}

var identitySettings = {
  // Functions host storage over the managed identity: the __ suffixes replace a connection string.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  // The app's own state (Thoras.Infrastructure.Storage.StorageOptions).
  Storage__TableServiceUri: storage.outputs.tableEndpoint
  Storage__BlobServiceUri: storage.outputs.blobEndpoint
  // The fan-out's work queues, in the same account the queue triggers read (AzureWebJobsStorage).
  Storage__QueueServiceUri: storage.outputs.queueEndpoint
  Storage__ManagedIdentityClientId: identity.outputs.clientId
  Storage__TablePrefix: storagePrefix
  // Telemetry with Entra auth; the component has local auth off.
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  // Kubernetes API with a token for the AKS Entra server app, issued to the managed identity.
  Kubernetes__Mode: 'aks'
  Kubernetes__ClusterUrl: aksAccess.outputs.apiServerUrl
  Kubernetes__CertificateAuthorityData: aksCertificateAuthorityData
  Kubernetes__ManagedIdentityClientId: identity.outputs.clientId
  Admission__PathSecret: keyVault.outputs.pathSettingReference
}

var tunableSettings = {
  CollectSchedule: collectSchedule
  ForecastSchedule: forecastSchedule
  ApplySchedule: applySchedule
  SyncSchedule: syncSchedule
  HousekeepingSchedule: housekeepingSchedule
  Thoras__ScalingPaused: string(scalingPaused)
  Thoras__ControlPlaneNamespace: controlPlaneNamespace
  CollectQueue: '${toLower(storagePrefix)}-collect'
  ForecastQueue: '${toLower(storagePrefix)}-forecast'
  ApplyQueue: '${toLower(storagePrefix)}-apply'
  Fanout__BatchSize: string(fanoutBatchSize)
  Kubernetes__RequestsPerSecond: string(kubernetesRequestsPerSecond)
  Kubernetes__RequestBurst: string(kubernetesRequestBurst)
  Kubernetes__BudgetInstances: string(kubernetesBudgetInstances)
  Dashboard__ClusterName: dashboardClusterName
  // Two glibc malloc arenas instead of one per thread that allocates natively (LightGbm trains natively): in a
  // side-by-side soak, 5.7 % RSS growth over 45 minutes instead of 8.8 %, and 24 MB less (docs/reliability.md).
  MALLOC_ARENA_MAX: '2'
  // Only behind App Service Authentication is X-MS-CLIENT-PRINCIPAL-NAME set by the platform and so trusted as the actor.
  Auth__TrustAppServicePrincipal: string(!empty(appServiceAuthClientId))
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    name: 'func-${name}-${suffix}'
    planName: 'plan-${name}-${suffix}'
    location: location
    tags: union(allTags, { 'azd-service-name': 'functions' })
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    httpAlwaysReadyInstances: httpAlwaysReadyInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: union(tunableSettings, extraAppSettings, identitySettings)
  }
  dependsOn: [
    // The host must be able to reach storage and the secret on its first start.
    storageAccess
  ]
}

module appServiceAuth 'modules/app-service-auth.bicep' = if (!empty(appServiceAuthClientId)) {
  name: 'app-service-auth'
  params: {
    siteName: functionApp.outputs.name
    clientId: appServiceAuthClientId
    tenantId: appServiceAuthTenantId
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output dashboardUrl string = 'https://${functionApp.outputs.defaultHostName}/api/dashboard/'
output identityClientId string = identity.outputs.clientId
output identityPrincipalId string = identity.outputs.principalId
output storageAccountName string = storage.outputs.name
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
