/**
 * The native AWS APIs of the emulator (IVS, IVS real-time, EventBridge, AppStream), in process:
 * their options, and seeding what no API call can make.
 *
 *   const emu = await startEmulator({ port: 0 });
 *   configureNative(emu.service, { transitionMs: 20 });        // fleets start in 20 ms
 *   seedAppStreamSessions(emu.service, 'us-east-1', [{ StackName: 's', FleetName: 'f', UserId: 'u', AuthenticationType: 'SAML' }]);
 */
import type { CloudControlService } from '../service.js';
import { appstream, newSession } from './appstream.js';
import { contextFor } from './router.js';
import { NATIVE } from './state.js';

export { configureNative, DEFAULT_TRANSITION_MS, type NativeOptions } from './router.js';
export { NATIVE };

export interface SeedSession {
  StackName: string;
  FleetName: string;
  UserId: string;
  /** API (the default: a streaming URL's), SAML, USERPOOL or AWS_AD. */
  AuthenticationType?: string;
  /** PENDING, ACTIVE or EXPIRED; by default PENDING, then ACTIVE after the transition delay. */
  State?: string;
}

/**
 * Streaming sessions as users signing in through SAML, a user pool or a directory would open
 * them (no API call makes those), for DescribeSessions to find. Written straight to the store:
 * for emulators without a data file. Returns the session IDs.
 */
export function seedAppStreamSessions(service: CloudControlService, region: string, sessions: readonly SeedSession[]): string[] {
  const ctx = contextFor(service, region);
  return sessions.map((s) => newSession(ctx, s).Id);
}

/**
 * What `--seed demo` adds for the native APIs (Cloud Control's demo already has IVS channels,
 * stages and EventBridge connections, which the native APIs see): in us-east-1 and us-west-2, an
 * AppStream stack with a RUNNING fleet and two sessions (one by streaming URL, one by SAML), and a
 * STOPPED fleet. Made through the same operations a client calls, so it keeps their rules.
 */
export function seedNativeDemo(service: CloudControlService): void {
  for (const region of ['us-east-1', 'us-west-2'] as const) {
    const short = region === 'us-east-1' ? 'east' : 'west';
    const ctx = contextFor(service, region);
    const fleet = `sales-apps-${short}`;
    const stack = `sales-portal-${short}`;
    appstream.handlers.CreateFleet!(ctx, {
      Name: fleet,
      DisplayName: 'Sales applications',
      ImageName: 'AppStream-WinServer2022-06-12-2024',
      InstanceType: 'stream.standard.medium',
      FleetType: 'ALWAYS_ON',
      ComputeCapacity: { DesiredInstances: 3 },
      EnableDefaultInternetAccess: true,
    });
    appstream.handlers.CreateFleet!(ctx, {
      Name: `design-tools-${short}`,
      ImageName: 'AppStream-Graphics-G4dn-WinServer2019-06-12-2024',
      InstanceType: 'stream.graphics.g4dn.xlarge',
      ComputeCapacity: { DesiredInstances: 1 },
    });
    appstream.handlers.CreateStack!(ctx, { Name: stack, DisplayName: 'Sales portal' });
    appstream.handlers.AssociateFleet!(ctx, { FleetName: fleet, StackName: stack });
    // Running from the start: a demo account has no reason to wait for its fleet.
    const record = ctx.get(NATIVE.appstreamFleet, fleet)!;
    ctx.put(NATIVE.appstreamFleet, fleet, { ...record, state: { state: 'RUNNING' } });
    newSession(ctx, { StackName: stack, FleetName: fleet, UserId: 'alice', State: 'ACTIVE' });
    newSession(ctx, { StackName: stack, FleetName: fleet, UserId: 'bob@example.com', AuthenticationType: 'SAML', State: 'ACTIVE' });
  }
}
