// Data-plane roles for the app identity on its storage account. Account scope is needed because the
// Functions host and the app create their own containers, queues and tables (prefixed) at run time.

@description('Name of the existing storage account.')
param storageAccountName string

@description('Principal id of the app identity.')
param principalId string

var roleIds = [
  // Storage Blob Data Owner: the Functions host needs it for its own blob leases and keys (AzureWebJobsStorage).
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Storage Queue Data Contributor: the fan-out's work queues (the coordinators send, the queue triggers receive and
  // delete, the host moves failed messages to <queue>-poison) and the Functions host's internal queues.
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Storage Table Data Contributor: pause state, targets, samples, suggestions, audit log.
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
]

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleIds: {
    name: guid(account.id, principalId, roleId)
    scope: account
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]
