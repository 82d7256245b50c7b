// The one-command launcher, also used by benchmarks to start the platform in-process.
export { loadLauncherConfig } from "./config";
export type { LauncherConfig } from "./config";
export { discoverServices } from "./discover-services";
export type { LaunchableService } from "./discover-services";
export { launchPlatform } from "./launch-platform";
export type { RunningPlatform } from "./launch-platform";
export { gatewayLauncher, DEV_WORKSPACE_ID, DEV_USER_ID } from "./gateway-launcher";
export type { GatewayLauncher, RunningGatewayInfo } from "./gateway-launcher";
export { ensureDemoAccount, DEMO_EMAIL } from "./demo-account";
export type { DemoAccount } from "./demo-account";
