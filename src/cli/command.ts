/**
 * What a CLI command declares: its name, help text, options and arguments (parsed with
 * node:util `parseArgs` in strict mode, see command-line.ts) and how it runs. The table of
 * commands is commands.ts.
 */

/** An option of one command. Boolean options are flags; string options take a value. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the help (`NAME`). */
  value?: string;
  /** Whether the command refuses to run without it (exit 2 with its usage). */
  required?: boolean;
  help: string;
}

/** A positional argument (`FILE`, `CLIENT_ID`); all of a command's are required. */
export interface ArgumentSpec {
  name: string;
  help: string;
}

/** What a command receives: its arguments by name and its options' values. */
export interface CommandInput {
  args: Record<string, string>;
  options: Record<string, string | boolean | undefined>;
}

/**
 * An exit code (0 ok, 1 failure, 2 usage), or -1 to leave the process running (the server).
 */
export type ExitCode = number;

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** What the command does, in a few lines. */
  description: string;
  args: ArgumentSpec[];
  options: Record<string, OptionSpec>;
  examples: string[];
  /** Runs the command; its implementation is imported then, so that help stays fast. */
  run(input: CommandInput): Promise<ExitCode>;
}
