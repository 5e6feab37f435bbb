// Grants the app identity access to the existing AKS cluster's Kubernetes API through Azure RBAC for
// Kubernetes authorization, and reports the API server URL. Deployed at the cluster's resource group.
// Why the built-in Writer role and not a custom one: see docs/deploy.md ("AKS role").

@description('Name of the existing AKS cluster.')
param clusterName string

@description('Principal id of the app identity.')
param principalId string

@description('rbacWriter: assign "Azure Kubernetes Service RBAC Writer" at cluster scope. kubernetesRbac: assign no Azure role; a Kubernetes ClusterRoleBinding to the identity grants access instead.')
@allowed([
  'rbacWriter'
  'kubernetesRbac'
])
param accessModel string

// Azure Kubernetes Service RBAC Writer
var aksRbacWriterRoleId = 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb'

resource cluster 'Microsoft.ContainerService/managedClusters@2025-10-01' existing = {
  name: clusterName
}

resource writer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (accessModel == 'rbacWriter') {
  name: guid(cluster.id, principalId, aksRbacWriterRoleId)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', aksRbacWriterRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output apiServerUrl string = 'https://${cluster.properties.fqdn}:443'
