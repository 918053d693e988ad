import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { RenderResult } from './lib/dryRunRender';
import type { Scaffolder } from './lib/installedActions';
import type { Problem } from './lib/problems';

const NAME = 'paved-road-template';

type Options = {
  backend?: string;
  token?: string;
  render?: string;
  out?: string;
  json?: boolean;
  strict?: boolean;
};

function program(): Command {
  return new Command(NAME)
    .description(
      "Checks software templates before they are registered: parameter schemas, installed actions, ${{ }} references, step ids, skeleton values; with --render it also renders one through the scaffolder's dry run.",
    )
    .argument('<template.yaml...>', 'the templates to check')
    .option(
      '--backend <url>',
      'read the installed actions from a running backend (GET URL/api/scaffolder/v2/actions); on the embedded default a guest token is fetched automatically',
    )
    .option(
      '--token <token>',
      'Backstage token for --backend (or BACKSTAGE_TOKEN)',
    )
    .option(
      '--render <values>',
      "also render the template with these form values (YAML or JSON) through the scaffolder's dry-run API: every step runs in dry-run mode, nothing is published",
    )
    .option(
      '--out <dir>',
      'where --render writes the files (default <tmp>/validate-template-<template directory name>)',
    )
    .option('--json', 'print the problems as JSON')
    .option('--strict', 'treat warnings as errors')
    .addHelpText(
      'after',
      `
Without --backend, the actions are those of the scaffolder plugin and modules
that packages/backend/src/index.ts adds, loaded in this process with the
sample organisation (templates/sample-org) and examples/ as the catalog.

Exit status: 0 no errors (warnings allowed), 1 errors, 2 could not run.`,
    )
    .showHelpAfterError('(run with --help for the options)')
    .exitOverride();
}

function format(problem: Problem, cwd: string): string {
  const where = [
    path.relative(cwd, problem.file) || problem.file,
    problem.line,
    problem.column,
  ]
    .filter(x => x !== undefined)
    .join(':');
  const step = problem.step ? `step "${problem.step}" ` : '';
  return `${where}: ${problem.severity}: ${step}${problem.field}: ${problem.message}`;
}

async function run(files: string[], options: Options, scaffolder: Scaffolder) {
  const { validateFiles } =
    require('./lib/validateTemplate') as typeof import('./lib/validateTemplate');
  const { renderTemplate } =
    require('./lib/dryRunRender') as typeof import('./lib/dryRunRender');
  const results = await validateFiles(files, scaffolder);
  const all = results.flatMap(r => r.problems);
  const errorCount = all.filter(p => p.severity === 'error').length;
  const failed = options.strict ? all.length > 0 : errorCount > 0;
  let rendered: RenderResult | undefined;
  if (options.render && !failed) {
    rendered = await renderTemplate(
      scaffolder,
      files[0],
      path.resolve(options.render),
      options.out
        ? path.resolve(options.out)
        : path.join(
            os.tmpdir(),
            `validate-template-${path.basename(path.dirname(files[0]))}`,
          ),
    );
  }
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          actionsFrom: scaffolder.source,
          actions: [...scaffolder.actions.keys()],
          results,
          ...(rendered ? { render: rendered } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines = [
      ...all.map(p => format(p, process.cwd())),
      ...(rendered?.messages ?? []),
    ];
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    process.stderr.write(
      `${NAME}: ${files.length} template(s), ${errorCount} error(s), ${
        all.length - errorCount
      } warning(s); ${scaffolder.actions.size} actions from ${
        scaffolder.source
      }\n`,
    );
  }
  return failed || (rendered && !rendered.ok) ? 1 : 0;
}

/**
 * Runs the command line on `args` (without node and the script) and
 * returns the exit status: 0 no errors, 1 errors, 2 could not run.
 */
export async function main(args: string[]): Promise<number> {
  const command = program();
  try {
    command.parse(args, { from: 'user' });
    if (command.opts<Options>().render && command.args.length !== 1) {
      command.error('--render takes one template');
    }
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' ? 0 : 2;
    }
    throw e;
  }
  const options = command.opts<Options>();
  const files = command.args.map(f => path.resolve(f));

  // Loaded after the arguments are read: a usage error answers at once.
  const { openScaffolder } =
    require('./lib/installedActions') as typeof import('./lib/installedActions');
  let scaffolder: Scaffolder;
  try {
    scaffolder = await openScaffolder({
      backend: options.backend,
      token: options.token,
    });
  } catch (e) {
    process.stderr.write(
      `${NAME}: cannot reach the scaffolder: ${(e as Error).message}\n`,
    );
    return 2;
  }
  try {
    return await run(files, options, scaffolder);
  } finally {
    await scaffolder.close();
  }
}
