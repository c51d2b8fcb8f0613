// Azure resources for the Teams bot "Rutinstöd för socialtjänsten" (see docs/deploy.md).
// NOT deployed from the development environment: written against the documented resource types
// and API versions, without a Bicep compiler or an Azure subscription at hand. Run
// `az bicep build --file infra/main.bicep` and a what-if deployment before the first real one.
//
// Deployed either by the Microsoft 365 Agents Toolkit (m365agents.yml: arm/deploy with
// infra/toolkit.<BOT_IDENTITY>.parameters.json, whose outputs below land in env/.env.<environment>)
// or by `az deployment group create` (infra/main.parameters.example.json).
//
// One user-assigned managed identity reads and writes Table storage (role "Storage Table Data
// Contributor", shared-key access off), reads the bot's secrets from Key Vault (role "Key Vault
// Secrets User") and, with botAppType=UserAssignedMSI, is also the bot's identity (no bot secret
// anywhere). With botAppType=SingleTenant the bot is an Entra app registration whose client secret
// sits in Key Vault and reaches the app as a Key Vault reference. Storage has, by default, no public
// endpoint: the App Service reaches it over VNet integration and a private endpoint. The bot runs
// on a Linux App Service; its app settings are the environment variables of bot/config.ts.
// Application Insights (workspace-based) and a Log Analytics workspace receive telemetry and the
// App Service logs.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (letters, digits and hyphens).')
@minLength(3)
@maxLength(16)
param baseName string = 'rutinstod'

@description('Region of the web app, the storage account, the identity and the monitoring resources.')
param location string = resourceGroup().location

@description('Region of the Azure Bot resource: global, or westeurope for EU data residency (read Azure AI Bot Service "regionalization" before choosing it).')
@allowed(['global', 'westeurope'])
param botLocation string = 'global'

@description('Name shown for the bot in the Azure portal (the Teams app manifest sets what staff see).')
param botDisplayName string = 'Rutinstöd'

@description('Azure Bot pricing tier; Teams is a standard channel, free on F0.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Bot identity: UserAssignedMSI (the managed identity below, no secret) or SingleTenant (an Entra app registration in your tenant; its secret is kept in Key Vault).')
@allowed(['UserAssignedMSI', 'SingleTenant'])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: client (application) id of the bot\'s Entra app registration. Ignored for UserAssignedMSI.')
param botAppId string = ''

@description('SingleTenant only: client secret of that app registration, stored in Key Vault (the app gets a Key Vault reference, never the value). Ignored for UserAssignedMSI.')
@secure()
param botAppPassword string = ''

@description('SingleTenant only: Entra tenant of that app registration (the Microsoft 365 tenant of the staff).')
param botTenantId string = subscription().tenantId

@description('LOG_PSEUDONYM_KEY: secret key (at least 32 characters, e.g. `openssl rand -hex 32`) of the pseudonyms that stand for people in the logs. Stored in Key Vault. Pass the SAME value on every deployment: a new key gives everyone new pseudonyms.')
@secure()
@minLength(32)
param logPseudonymKey string

// Free (F1) and Shared (D1) plans have no Always On, no VNet integration and no SLA: not offered.
@description('App Service plan tier. Basic and up support Always On and VNet integration; P0v3 and up for production load.')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3', 'P3v3'])
param appServiceSku string = 'B1'

@description('Number of web app instances. Every instance may run the reminder sweep: reminders are claimed with ETags.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Node.js runtime of the web app: the newest LTS lines App Service offers, both within package.json "engines" (>=22 <25).')
@allowed(['NODE|22-lts', 'NODE|24-lts'])
param nodeVersion string = 'NODE|24-lts'

@description('Storage redundancy.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_ZRS'

@description('PrivateEndpoint (default): the storage account has no public endpoint; the web app reaches it through VNet integration and a private endpoint in a new virtual network. Public: a public endpoint (Entra ID only, no keys) — for a short-lived trial, never for real cases.')
@allowed(['PrivateEndpoint', 'Public'])
param storageNetworkAccess string = 'PrivateEndpoint'

@description('Address space of the virtual network (PrivateEndpoint only).')
param vnetAddressPrefix string = '10.60.0.0/24'

@description('Subnet for the App Service VNet integration (PrivateEndpoint only; /28 or larger, delegated to Microsoft.Web/serverFarms).')
param appSubnetPrefix string = '10.60.0.0/26'

@description('Subnet for the storage account\'s private endpoint (PrivateEndpoint only).')
param privateEndpointSubnetPrefix string = '10.60.0.64/27'

@description('Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('TABLE_PREFIX: prefix of every table name, so several environments can share one account.')
param tablePrefix string = 'gbg'

@description('SWEEP_INTERVAL_SECONDS: reminder sweep interval inside each instance; 0 = off (schedule `npm run sweep` instead).')
@minValue(0)
@maxValue(86400)
param sweepIntervalSeconds int = 60

@description('LOG_LEVEL of the structured JSON logs.')
@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
param logLevel string = 'info'

@description('Tags put on every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id, baseName)
var storageAccountName = toLower(take('${replace(baseName, '-', '')}${suffix}', 24))
var keyVaultName = take('kv${replace(baseName, '-', '')}${suffix}', 24)
var webAppName = '${baseName}-${suffix}'
var vnetName = '${baseName}-vnet'
var isSingleTenant = botAppType == 'SingleTenant'
var isPrivate = storageNetworkAccess == 'PrivateEndpoint'
// The bot's client id: the app registration (SingleTenant) or the managed identity.
var botClientId = isSingleTenant ? botAppId : identity.properties.clientId
var botTenant = isSingleTenant ? botTenantId : identity.properties.tenantId
var tablesAccountUrl = 'https://${storage.name}.table.${environment().suffixes.storage}'
// Built-in roles "Storage Table Data Contributor" and "Key Vault Secrets User".
var tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-id'
  location: location
  tags: tags
}

// ---- Monitoring: Log Analytics workspace and workspace-based Application Insights ----

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${baseName}-logs-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-ai-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---- Storage ----

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Entra ID (managed identity) only: no account keys, no connection strings.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: isPrivate ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: isPrivate ? 'Deny' : 'Allow'
      bypass: 'None'
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, tableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- Private network (storageNetworkAccess = PrivateEndpoint) ----

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = if (isPrivate) {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [vnetAddressPrefix]
    }
    // Order matters: subnets[0] is the App Service integration, subnets[1] the private endpoints.
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'app-service'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource tablePrivateEndpoint 'Microsoft.Network/privateEndpoints@2023-11-01' = if (isPrivate) {
  name: '${storageAccountName}-table-pe'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: vnet.properties.subnets[1].id
    }
    privateLinkServiceConnections: [
      {
        name: 'table'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: ['table']
        }
      }
    ]
  }
}

resource tableDnsZone 'Microsoft.Network/privateDnsZones@2020-06-01' = if (isPrivate) {
  name: 'privatelink.table.${environment().suffixes.storage}'
  location: 'global'
  tags: tags
}

resource tableDnsZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = if (isPrivate) {
  parent: tableDnsZone
  name: '${vnetName}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource tableDnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = if (isPrivate) {
  parent: tablePrivateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'table'
        properties: {
          privateDnsZoneId: tableDnsZone.id
        }
      }
    ]
  }
}

// ---- Key Vault: the log pseudonym key, and the bot's client secret when SingleTenant ----

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access by Azure RBAC only (the role assignment below), no access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource pseudonymKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'log-pseudonym-key'
  properties: {
    value: logPseudonymKey
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (isSingleTenant) {
  parent: vault
  name: 'bot-app-password'
  properties: {
    value: botAppPassword
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- The web app ----

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${baseName}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

// Each app setting is an environment variable of bot/config.ts (test/deployDocs.test.ts checks
// them), or App Service's own SCM_DO_BUILD_DURING_DEPLOYMENT. App Service sets PORT itself.
var appSettings = [
  { name: 'NODE_ENV', value: 'production' }
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'MicrosoftAppType', value: botAppType }
  { name: 'MicrosoftAppId', value: botClientId }
  { name: 'MicrosoftAppTenantId', value: botTenant }
  { name: 'TABLES_ACCOUNT_URL', value: tablesAccountUrl }
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'TABLE_PREFIX', value: tablePrefix }
  { name: 'SWEEP_INTERVAL_SECONDS', value: string(sweepIntervalSeconds) }
  { name: 'LOG_LEVEL', value: logLevel }
  { name: 'LOG_PSEUDONYM_KEY', value: '@Microsoft.KeyVault(SecretUri=${pseudonymKeySecret.properties.secretUri})' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  // Platform setting, not the bot's: the zip already holds dist/ and production node_modules.
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
]
// SingleTenant only: the client secret, as a Key Vault reference (versionless: a new secret
// version is picked up without a redeployment).
var singleTenantAppSettings = [
  { name: 'MicrosoftAppPassword', value: '@Microsoft.KeyVault(SecretUri=${botPasswordSecret.properties.secretUri})' }
]

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with the user-assigned identity.
    keyVaultReferenceIdentity: identity.id
    virtualNetworkSubnetId: isPrivate ? vnet.properties.subnets[0].id : null
    siteConfig: {
      linuxFxVersion: nodeVersion
      // The package is built before deployment (docs/deploy.md): start the compiled bot directly,
      // with its heap budget (bot/runtime.ts, BOT_START_COMMAND).
      appCommandLine: 'node --max-old-space-size=192 --max-semi-space-size=8 dist/bot/index.js'
      // Every allowed plan tier (Basic and up) supports Always On.
      alwaysOn: true
      healthCheckPath: '/healthz'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // All outbound traffic through the VNet, so the storage name resolves to its private endpoint.
      vnetRouteAllEnabled: isPrivate
      appSettings: concat(appSettings, isSingleTenant ? singleTenantAppSettings : [])
    }
  }
  dependsOn: [
    tableService
    tableDataContributor
    vaultSecretsUser
    tableDnsZoneGroup
    tableDnsZoneLink
  ]
}

// App Service logs (the bot's JSON lines are AppServiceConsoleLogs) into the workspace.
resource webDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: web
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

// ---- The Azure Bot and its Teams channel ----

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot-${suffix}'
  location: botLocation
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppType: botAppType
    msaAppId: botClientId
    msaAppTenantId: botTenant
    msaAppMSIResourceId: isSingleTenant ? null : identity.id
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: botLocation
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Output names are upper case because the Agents Toolkit's arm/deploy writes every output into
// env/.env.<environment> under its name in upper case (BOT_ID fills ${{BOT_ID}} in appPackage/).
@description('The bot id: `${{BOT_ID}}` of appPackage/manifest.json, and MicrosoftAppId for `npm run package`.')
output BOT_ID string = botClientId
output BOT_TENANT_ID string = botTenant
output BOT_DOMAIN string = web.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${web.properties.defaultHostName}'
@description('Where the Toolkit\'s azureAppService/zipDeploy deploys the code.')
output AZURE_APP_SERVICE_RESOURCE_ID string = web.id
output WEB_APP_NAME string = web.name
output MESSAGING_ENDPOINT string = 'https://${web.properties.defaultHostName}/api/messages'
output HEALTH_URL string = 'https://${web.properties.defaultHostName}/healthz'
output STORAGE_ACCOUNT_NAME string = storage.name
output TABLES_ACCOUNT_URL string = tablesAccountUrl
output KEY_VAULT_NAME string = vault.name
output APPLICATION_INSIGHTS_NAME string = insights.name
output LOG_ANALYTICS_WORKSPACE_NAME string = logs.name
