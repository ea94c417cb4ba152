/**
 * What a Session needs for statements other than catalog ones (SHOW, DESCRIBE…): the planner,
 * its renderers, the executors and the engine. One module, loaded by the first such statement,
 * so that a catalog statement (a CLI run of `SHOW RESOURCES IN aws.ivs`) does not load them.
 */
export { DEFAULT_CONCURRENCY } from '../aws/limits.js';
export { openEngine } from '../engine/engine.js';
export { tableColumns } from '../plan/columns.js';
export { DEFAULT_MAX_CALLS, engineTableName, planApis, planStatement, resourcesOf } from '../plan/plan.js';
export { dryRunResult, explainResult } from '../plan/render.js';
export { runMutationPlan } from './mutate.js';
export { engineError, runQueryPlan, toResult } from './query.js';
