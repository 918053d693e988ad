import { Command } from 'commander';
import { Context, createContext, GlobalOptions } from '../lib/context';

/** What a command's handler returns: its exit code (0 when nothing). */
export type CommandResult = number | void | undefined;

// Commander passes positional arguments, then the options object; each
// handler declares what it takes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (ctx: Context, ...args: any[]) => Promise<CommandResult>;

/** Wraps a handler: builds its context from the global options and records its exit code. */
export type Action = (
  handler: Handler,
) => (...args: unknown[]) => Promise<void>;

export function createAction(setExitCode: (code: number) => void): Action {
  return handler =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const ctx = await createContext(command.optsWithGlobals<GlobalOptions>());
      const code = await handler(ctx, ...args.slice(0, -1));
      setExitCode(code ?? 0);
    };
}

/** Adds an Examples section to a command's --help. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText(
    'after',
    `\nExamples:\n${lines.map(line => `  $ ${line}`).join('\n')}\n`,
  );
}

/** Collects a repeatable option (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
