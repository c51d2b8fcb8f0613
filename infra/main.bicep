// Azure resources for the Teams bot "Rutinstöd för socialtjänsten" (see docs/deploy.md).
// NOT deployed from the development environment: written against the documented resource types
// and API versions, without a Bicep compiler or an Azure subscription at hand. Run
// `az bicep build --file infra/main.bicep` and a what-if deployment before the first real one.
//
// One user-assigned managed identity is the bot's identity (MicrosoftAppType=UserAssignedMSI, no
// secret anywhere) and also reads and writes Table storage (role "Storage Table Data Contributor",
// shared-key access off). The bot runs on a Linux App Service; its app settings are the
// environment variables of bot/config.ts.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (letters, digits and hyphens).')
@minLength(3)
@maxLength(16)
param baseName string = 'rutinstod'

@description('Region of the web app, the storage account and the identity.')
param location string = resourceGroup().location

@description('Region of the Azure Bot resource: global, or westeurope for EU data residency (read Azure AI Bot Service "regionalization" before choosing it).')
@allowed(['global', 'westeurope'])
param botLocation string = 'global'

@description('Name shown for the bot in the Azure portal (the Teams app manifest sets what staff see).')
param botDisplayName string = 'Rutinstöd'

@description('Azure Bot pricing tier; Teams is a standard channel, free on F0.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('App Service plan tier (B1 and up support Always On; P0v3 and up for production load).')
param appServiceSku string = 'B1'

@description('Number of web app instances. Every instance may run the reminder sweep: reminders are claimed with ETags.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Node.js runtime of the web app (the project supports Node 20.12+ and 22).')
@allowed(['NODE|22-lts', 'NODE|20-lts'])
param nodeVersion string = 'NODE|22-lts'

@description('Storage redundancy.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_ZRS'

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
var webAppName = '${baseName}-${suffix}'
// Built-in role "Storage Table Data Contributor".
var tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-id'
  location: location
  tags: tags
}

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
    publicNetworkAccess: 'Enabled'
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
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: nodeVersion
      // The package is built before deployment (docs/deploy.md): start the compiled bot directly,
      // with its heap budget (bot/runtime.ts, BOT_START_COMMAND).
      appCommandLine: 'node --max-old-space-size=192 --max-semi-space-size=8 dist/bot/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // App Service sets PORT itself; the bot reads it.
      appSettings: [
        { name: 'NODE_ENV', value: 'production' }
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppTenantId', value: identity.properties.tenantId }
        { name: 'TABLES_ACCOUNT_URL', value: 'https://${storage.name}.table.${environment().suffixes.storage}' }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'TABLE_PREFIX', value: tablePrefix }
        { name: 'SWEEP_INTERVAL_SECONDS', value: string(sweepIntervalSeconds) }
        { name: 'LOG_LEVEL', value: logLevel }
        // Platform setting, not the bot's: the zip already holds dist/ and production node_modules.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
      ]
    }
  }
  dependsOn: [
    tableService
    tableDataContributor
  ]
}

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
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppTenantId: identity.properties.tenantId
    msaAppMSIResourceId: identity.id
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

@description('MicrosoftAppId for `npm run package` (the Teams app manifest\'s bot id).')
output botAppId string = identity.properties.clientId
output webAppName string = web.name
output messagingEndpoint string = 'https://${web.properties.defaultHostName}/api/messages'
output healthUrl string = 'https://${web.properties.defaultHostName}/healthz'
output storageAccountName string = storage.name
output tablesAccountUrl string = 'https://${storage.name}.table.${environment().suffixes.storage}'
