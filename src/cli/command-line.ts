/**
 * The one reader of a command's arguments (node:util parseArgs, strict): `--help` / `-h` prints the command's usage and
 * exits 0; an unknown option or an option missing its value is an INVALID_REQUEST naming it, with the usage, so a typo
 * such as `--fiel` is never read as a question or silently ignored. `--` ends the options (a question may start with -).
 */
import { parseArgs } from 'node:util';
import { TutorError } from '../errors/tutor-error.js';

/** A command's options: a flag (`boolean`) or an option that takes a value (`string`). */
export type CommandOptions = Readonly<Record<string, { readonly type: 'boolean' | 'string'; readonly short?: string }>>;

export interface CommandLineSpec<Options extends CommandOptions> {
  /** The usage text `--help` prints: the command line, then a line per option. */
  readonly usage: string;
  readonly options: Options;
  /** Whether the command takes positional arguments (a question, a file). @default false */
  readonly positionals?: boolean;
}

export type ParsedOptions<Options extends CommandOptions> = {
  readonly [Name in keyof Options]: Options[Name]['type'] extends 'boolean' ? boolean : string | undefined;
};

export interface CommandLine<Options extends CommandOptions> {
  readonly options: ParsedOptions<Options>;
  readonly positionals: readonly string[];
}

export interface ReadCommandLineDeps {
  /** @default process.argv.slice(2) */
  readonly args?: readonly string[];
  /** Where `--help` writes. @default process.stdout */
  readonly write?: (text: string) => void;
  /** Called after `--help` is printed. @default process.exit(0) */
  readonly exit?: () => never;
}

export function readCommandLine<Options extends CommandOptions>(
  spec: CommandLineSpec<Options>,
  deps: ReadCommandLineDeps = {},
): CommandLine<Options> {
  const args = deps.args ?? process.argv.slice(2);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: spec.positionals ?? false,
      strict: true,
    });
  } catch (error) {
    throw new TutorError('INVALID_REQUEST', `${error instanceof Error ? error.message : String(error)}\n${spec.usage}`, {
      cause: error,
    });
  }
  if (parsed.values.help === true) {
    (deps.write ?? ((text: string) => void process.stdout.write(text)))(`${spec.usage}\n`);
    (deps.exit ?? (() => process.exit(0)))();
  }
  const options: Record<string, boolean | string | undefined> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const value = parsed.values[name];
    options[name] = option.type === 'boolean' ? value === true : typeof value === 'string' ? value : undefined;
  }
  return { options: options as ParsedOptions<Options>, positionals: parsed.positionals };
}
