// Holds the admission webhook's path secret. The app reads it through a Key Vault reference in its
// settings, so the secret never sits in the app configuration and can be rotated in one place.

@description('Name of the Key Vault (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('The webhook path secret (at least 32 characters); the same value goes into the webhook URL in the cluster.')
@secure()
@minLength(32)
param admissionPathSecret string

@description('Principal id of the app identity that reads the secret.')
param readerPrincipalId string

// Key Vault Secrets User
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource pathSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'admission-path-secret'
  properties: {
    value: admissionPathSecret
    contentType: 'text/plain'
  }
}

// Scoped to the one secret, not the vault: the app can read nothing else stored there.
resource secretReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(pathSecret.id, readerPrincipalId, keyVaultSecretsUserRoleId)
  scope: pathSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('App setting value that makes the Functions platform resolve the secret with the app identity.')
output pathSettingReference string = '@Microsoft.KeyVault(SecretUri=${pathSecret.properties.secretUri})'
