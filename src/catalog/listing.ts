import type { ResourceDef } from './types.js';

/**
 * The properties a ListResources answer carries for each resource: its primary identifier and
 * its list parents. Anything else needs a GetResource. One definition for the planner (which
 * columns a list fills) and the emulator (what its list handler returns).
 */
export function listedProperties(def: ResourceDef): string[] {
  return [...new Set([...def.primaryIdentifier, ...def.listParents])];
}
