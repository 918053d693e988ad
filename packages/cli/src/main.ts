import { Command, CommanderError, Option } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerAuthCommands } from './commands/auth';
import { registerCostCommands } from './commands/costs';
import { registerCreateCommand } from './commands/create';
import { registerDeploymentCommands } from './commands/deployments';
import { registerProjectCommands } from './commands/projects';
import { registerSettingsCommands } from './commands/settings';
import { createAction, examples } from './commands/shared';
import { registerTaskCommands } from './commands/tasks';
import { registerTemplateCommands } from './commands/templates';
import {
  registerProjectMergeUpgrade,
  registerProjectUpgrade,
  registerTemplateFleet,
} from './commands/upgrades';
import { DEFAULT_PORTAL_URL } from './lib/context';
import { CliError, EXIT } from './lib/errors';
import { OUTPUT_FORMATS } from './lib/output';
import packageJson from '../package.json';

const ROOT_HELP = `
Environment:
  PAVED_ROAD_URL     the portal, when --url is not given
  PAVED_ROAD_TOKEN   a Backstage token to use instead of the stored session (CI)
  XDG_CONFIG_HOME    where the session is stored (default ~/.config): paved-road/credentials.json, mode 0600

Exit codes:
  0  done: the read worked, the task completed, the deployment succeeded
  1  it ran and failed: task failed or cancelled, deployment failed or rolled back, portal error (500)
  2  bad input: usage, an invalid or missing value, a change refused as it stands (400, 409)
  3  not signed in, session ended, or not allowed (401, 403)
  4  not found: template, entity, task, deployment (404)
  5  the portal cannot be reached or cannot do this now (connection refused, 502, 503, 504)
`;

export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('paved-road')
    .description(
      'The Paved Road developer portal from a terminal: create projects from templates, change deployment settings, deploy, and read cost, audit and hygiene.',
    )
    .version(packageJson.version)
    .option(
      '--url <url>',
      `the portal's backend URL (default: PAVED_ROAD_URL, else the portal last signed in to, else ${DEFAULT_PORTAL_URL})`,
    )
    .addOption(
      new Option(
        '-o, --output <format>',
        'table for people, json for scripts (one document on stdout)',
      )
        .choices(OUTPUT_FORMATS)
        .default('table'),
    )
    // Errors go through main's handler: one line and the exit code.
    .exitOverride()
    .showHelpAfterError('(add --help for usage and examples)');
  examples(program, [
    'paved-road login',
    'paved-road templates show kotlin-spring-service',
    'paved-road create kotlin-spring-service --set name=orders-api --set owner=group:default/checkout --set description="Takes orders"',
    'paved-road settings set orders-api replicas=3 --message "More traffic"',
    'paved-road deploy orders-api --wait',
    'paved-road costs --by business-unit --output json',
  ]);
  program.addHelpText('after', ROOT_HELP);

  const action = createAction(setExitCode);
  registerAuthCommands(program, action);
  const templates = registerTemplateCommands(program, action);
  registerCreateCommand(program, action);
  registerTaskCommands(program, action);
  const project = registerProjectCommands(program, action);
  registerProjectUpgrade(project, action);
  registerProjectMergeUpgrade(project, action);
  registerTemplateFleet(templates, action);
  registerSettingsCommands(program, action);
  registerDeploymentCommands(program, action);
  registerCostCommands(program, action);
  registerAuditCommands(program, action);
  return program;
}

function reportError(error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    // Commander printed its message (unknown option, missing argument, help).
    return ['commander.helpDisplayed', 'commander.version'].includes(error.code)
      ? EXIT.ok
      : EXIT.usage;
  }
  const known = error instanceof CliError;
  const message = known
    ? error.message
    : (error as Error)?.message ?? String(error);
  const details = known ? error.details : [];
  const exitCode = known ? error.exitCode : EXIT.failed;
  if (json) {
    process.stderr.write(
      `${JSON.stringify({
        error: {
          message,
          details,
          exitCode,
          status: known ? error.status ?? null : null,
        },
      })}\n`,
    );
  } else {
    process.stderr.write(`error: ${message}\n`);
    for (const line of details) process.stderr.write(`  ${line}\n`);
  }
  if (!known && process.env.PAVED_ROAD_DEBUG) {
    process.stderr.write(`${(error as Error)?.stack}\n`);
  }
  return exitCode;
}

export async function main(argv: string[]): Promise<void> {
  let exitCode: number = EXIT.ok;
  const program = createProgram(code => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    exitCode = reportError(error, program.opts().output === 'json');
  }
  process.exitCode = exitCode;
}
