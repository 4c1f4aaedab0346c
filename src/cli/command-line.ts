/**
 * Reads the command line: `itinera <command> [options] [arguments]`, `itinera --help`,
 * `itinera <command> --help`, `itinera --version`. Options are parsed with node:util `parseArgs`
 * in strict mode, so an unknown option or a missing value is a usage error (exit 2) naming it,
 * never ignored. `--help` anywhere before `--` prints the command's help and runs nothing.
 */
import { parseArgs } from 'node:util';
import type { CommandInput, CommandSpec, ExitCode } from './command.js';
import { COMMANDS } from './commands.js';
import { packageVersion } from './version.js';

const HELP_FLAGS = new Set(['--help', '-h']);

/** The one-line usage of a command: `itinera issue-authtoken --company NAME --client CLIENT_ID`. */
export function usageLine(command: CommandSpec): string {
  const options = Object.entries(command.options).map(([name, option]) => {
    const word = option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`;
    return option.required ? word : `[${word}]`;
  });
  return ['usage: itinera', command.name, ...options, ...command.args.map((a) => a.name)].join(' ');
}

/** The help of one command: usage, what it does, arguments, options and an example. */
export function commandHelp(command: CommandSpec): string {
  const rows: [string, string][] = [
    ...command.args.map((arg): [string, string] => [arg.name, arg.help]),
    ...Object.entries(command.options).map(([name, option]): [string, string] => [
      option.type === 'string' ? `--${name} ${option.value ?? 'VALUE'}` : `--${name}`,
      option.help,
    ]),
    ['-h, --help', 'show this help (the command is not run)'],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    usageLine(command),
    '',
    command.description,
    '',
    'arguments and options:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    command.examples.length > 1 ? 'examples:' : 'example:',
    ...command.examples.map((example) => `  ${example}`),
  ].join('\n');
}

/** The top-level help: every command with its summary. */
export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  return [
    'usage: itinera <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    '  itinera <command> --help   what a command does, its options and an example',
    '  itinera --version          the version of Itinera',
    '',
    'Settings come from environment variables (DATABASE_URL, PORT …; see README.md).',
    'Exit codes: 0 done, 1 failed, 2 usage error or refused (nothing was changed).',
  ].join('\n');
}

/** A usage error: the message and the command's usage on stderr, exit 2. */
function usageError(message: string, command?: CommandSpec): ExitCode {
  const hint = command
    ? `${usageLine(command)}\nRun 'itinera ${command.name} --help' for details.`
    : "Run 'itinera --help' for the list of commands.";
  console.error(`${message}\n${hint}`);
  return 2;
}

/** parseArgs' error, reworded to name the option and the command. */
function parseError(error: unknown, command: CommandSpec): ExitCode {
  const code = (error as { code?: unknown }).code;
  const message = (error as Error).message;
  const option = /'(-{1,2}[^' ]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return usageError(`unknown option '${option}' for '${command.name}'`, command);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const problem = message.includes('argument missing') ? 'needs a value' : 'takes no value';
    return usageError(`option '${option}' ${problem} (for '${command.name}')`, command);
  }
  throw error;
}

/** The command's input from its part of the command line, or the exit code of a usage error. */
function parseCommandLine(command: CommandSpec, argv: string[]): CommandInput | ExitCode {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(command.options).map(([name, option]) => [name, { type: option.type }]),
      ),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return parseError(error, command);
  }
  const options = parsed.values as Record<string, string | boolean | undefined>;
  const missingOption = Object.entries(command.options).find(
    ([name, option]) => option.required && !options[name],
  );
  if (missingOption) {
    return usageError(`missing --${missingOption[0]} for '${command.name}'`, command);
  }
  const extra = parsed.positionals[command.args.length];
  if (extra !== undefined) {
    return usageError(`unexpected argument '${extra}' for '${command.name}'`, command);
  }
  const args: Record<string, string> = {};
  for (const [index, arg] of command.args.entries()) {
    const value = parsed.positionals[index];
    if (!value) return usageError(`missing ${arg.name} for '${command.name}'`, command);
    args[arg.name] = value;
  }
  return { args, options };
}

/** Runs the command line (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: string[]): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    // Not the server: a service started without a command should fail visibly, not serve.
    console.error(`${generalHelp()}\n\nNo command given (the server is 'itinera serve').`);
    return 2;
  }
  if (first === '--version' || first === '-v') {
    console.log(packageVersion());
    return 0;
  }
  if (first === 'help' || HELP_FLAGS.has(first)) {
    const topic = rest[0];
    if (topic === undefined) {
      console.log(generalHelp());
      return 0;
    }
    const command = COMMANDS.find((candidate) => candidate.name === topic);
    if (!command) return usageError(`unknown command '${topic}'`);
    console.log(commandHelp(command));
    return 0;
  }
  if (first.startsWith('-')) return usageError(`unknown option '${first}'`);
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (!command) return usageError(`unknown command '${first}'`);
  const ownArgs = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (ownArgs.some((arg) => HELP_FLAGS.has(arg))) {
    console.log(commandHelp(command));
    return 0;
  }
  const input = parseCommandLine(command, rest);
  return typeof input === 'number' ? input : command.run(input);
}
