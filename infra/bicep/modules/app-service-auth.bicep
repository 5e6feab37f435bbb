// App Service Authentication (Easy Auth) with Microsoft Entra ID in front of the Function App, so the dashboard's
// user signs in and becomes the actor of every change (the platform puts the signed-in name in
// X-MS-CLIENT-PRINCIPAL-NAME and strips that header from outside requests). Requests without a sign-in are let
// through to the app, where function keys still guard every route: the admission webhook (called by the Kubernetes
// API server), the health probe and keyed scripts keep working. The dashboard itself sends an unsigned-in browser to
// the sign-in page. See docs/dashboard.md.

@description('Name of the existing Function App.')
param siteName string

@description('Application (client) id of the Entra app registration users sign in to.')
@minLength(36)
@maxLength(36)
param clientId string

@description('Entra tenant of the app registration.')
param tenantId string

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: siteName
}

resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      // Anonymous requests reach the app (function keys still apply); signed-in ones carry the principal.
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            clientId
            'api://${clientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}
