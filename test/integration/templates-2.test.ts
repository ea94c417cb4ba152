/** Every INSERT template runs as printed, part 2 of the types (templates-run.ts says how). */
import { describeTemplateRuns, useTemplateHarness } from './templates-run.js';

useTemplateHarness();
describeTemplateRuns(2, 3);
