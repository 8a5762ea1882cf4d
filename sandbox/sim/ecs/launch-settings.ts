import type { Json } from '../core/json.js';
import type { LaunchSettings } from '../model.js';

/** Only the launch settings of a service, deployment or task (never its other fields). */
export function launchSettingsOf(from: LaunchSettings): LaunchSettings {
  return {
    launchType: from.launchType,
    capacityProviderStrategy: from.capacityProviderStrategy,
    platformVersion: from.platformVersion,
    networkConfiguration: from.networkConfiguration,
  };
}

/** The settings as DescribeServices answers them, for the service and each deployment: set ones only. */
export function describeLaunchSettings(settings: LaunchSettings): Json {
  return {
    ...(settings.launchType ? { launchType: settings.launchType } : {}),
    ...(settings.capacityProviderStrategy ? { capacityProviderStrategy: settings.capacityProviderStrategy } : {}),
    ...(settings.platformVersion ? { platformVersion: settings.platformVersion, platformFamily: 'Linux' } : {}),
    ...(settings.networkConfiguration ? { networkConfiguration: settings.networkConfiguration } : {}),
  };
}
