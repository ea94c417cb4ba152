/**
 * The shell's backslash commands (`\help`, `\q`, `\o FORMAT`, `\x`, `\dryrun`), recognised on a
 * line of their own, as in psql.
 */
import { OUTPUT_FORMATS, type ExpandedMode, type OutputFormat } from '../format.js';

export type MetaCommand =
  | { kind: 'quit' }
  | { kind: 'help' }
  | { kind: 'format'; format: OutputFormat | undefined }
  | { kind: 'reset' }
  /** `\x` alone toggles (auto → off, as in psql). */
  | { kind: 'expanded'; mode: ExpandedMode | 'toggle' }
  /** `\dryrun` alone shows the state. */
  | { kind: 'dryrun'; on: boolean | undefined }
  | { kind: 'error'; message: string; hint: string };

export function isMetaCommand(line: string): boolean {
  return line.trimStart().startsWith('\\');
}

export function parseMetaCommand(line: string): MetaCommand {
  const [name = '', ...args] = line.trim().split(/\s+/);
  switch (name.toLowerCase()) {
    case '\\q':
    case '\\quit':
    case '\\exit':
      return { kind: 'quit' };
    case '\\?':
    case '\\h':
    case '\\help':
      return { kind: 'help' };
    case '\\r':
    case '\\reset':
      return { kind: 'reset' };
    case '\\o':
    case '\\format': {
      const wanted = args[0]?.toLowerCase();
      if (wanted === undefined) return { kind: 'format', format: undefined };
      const format = OUTPUT_FORMATS.find((f) => f === wanted);
      if (format === undefined || args.length > 1) {
        return { kind: 'error', message: `\\o: unknown output format '${args.join(' ')}'`, hint: `formats: ${OUTPUT_FORMATS.join(', ')}` };
      }
      return { kind: 'format', format };
    }
    case '\\x': {
      if (args.length === 0) return { kind: 'expanded', mode: 'toggle' };
      const word = args.length === 1 ? args[0]!.toLowerCase() : '';
      const on = onOff(word);
      if (on === undefined && word !== 'auto') {
        return { kind: 'error', message: `\\x: expected on, off or auto, not '${args.join(' ')}'`, hint: '\\x alone switches between on and off' };
      }
      return { kind: 'expanded', mode: on === undefined ? 'auto' : on ? 'on' : 'off' };
    }
    case '\\dryrun': {
      if (args.length === 0) return { kind: 'dryrun', on: undefined };
      const on = args.length === 1 ? onOff(args[0]!) : undefined;
      if (on === undefined) return { kind: 'error', message: `\\dryrun: expected on or off, not '${args.join(' ')}'`, hint: '\\dryrun alone shows whether it is on' };
      return { kind: 'dryrun', on };
    }
    default:
      return { kind: 'error', message: `unknown command ${name}`, hint: '\\help lists the shell commands' };
  }
}

/** psql's spellings of a boolean option value. */
function onOff(word: string): boolean | undefined {
  const w = word.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(w)) return true;
  if (['off', 'false', 'no', '0'].includes(w)) return false;
  return undefined;
}

export const SHELL_HELP = `Statements end with ; and may span several lines:
  SHOW SERVICES IN aws;                    SHOW RESOURCES IN aws.ivs;
  DESCRIBE aws.ivs.stages;                 SHOW METHODS IN aws.ivs.stages;
  SELECT region, arn, name FROM aws.ivs.stages WHERE region = 'us-east-1';
  INSERT INTO aws.ivs.stages (Name, region) VALUES ('demo', 'us-east-1');
  UPDATE aws.ivs.stages SET name = 'x' WHERE data__Identifier = '…' AND region = 'us-east-1';
  DELETE FROM aws.ivs.stages WHERE data__Identifier = '…' AND region = 'us-east-1';

Commands:
  \\help, \\?          this text
  \\q                  quit (Ctrl-D too)
  \\o [FORMAT]         show or set the output format: ${OUTPUT_FORMATS.join(', ')}
  \\x [on|off|auto]    expanded table display: one "column | value" line each, a block per row
                      (auto: only for tables wider than the terminal; \\x alone toggles)
  \\dryrun [on|off]    show or set dry-run: statements print the API calls they would make
                      and make none (the prompt says ccql[dry-run]=> while it is on)
  \\r                  forget the statement typed so far

Keys:
  Tab                 complete keywords, aws.<service>.<resource> names and column names
  Ctrl-C              cancel the running statement (its API calls stop), or clear the line
  Up/Down             history, kept across sessions in $CCQL_HOME/history
`;
