import { Command } from 'commander';
import {
  credentialsPath,
  loadSession,
  removeSession,
  saveSession,
  StoredSession,
} from '../lib/credentials';
import { Context } from '../lib/context';
import { CliError, EXIT, usageError } from '../lib/errors';
import { shortTime } from '../lib/output';
import { sessionFromToken, signIn } from '../lib/session';
import { readClaims } from '../lib/tokenClaims';
import { Action, examples } from './shared';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Asks the portal whether it accepts the token; 401 becomes exit code 3. */
async function verify(ctx: Context, token: string): Promise<void> {
  await ctx.client.get('/api/auth/v1/userinfo', {
    anonymous: true,
    headers: { authorization: `Bearer ${token}` },
  });
}

function describeMethod(session: StoredSession): string {
  switch (session.method) {
    case 'guest':
      return 'guest sign-in';
    case 'sample-user':
      return `sample user ${session.user}`;
    default:
      return 'token';
  }
}

export function registerAuthCommands(program: Command, action: Action) {
  examples(
    program
      .command('login')
      .summary('Sign in (guest, sample user or token) and store the session')
      .description(
        'Sign in to the portal and store the session for later commands (the guest, a sample user, or a token). The token is stored readable by you only and never printed.',
      )
      .option(
        '--as <user>',
        "sign in as one of the portal's sample users (embedded default), e.g. admin or carol",
      )
      .option(
        '--token-stdin',
        'read a Backstage token from stdin and store it (any sign-in provider)',
      ),
    [
      'paved-road login',
      'paved-road login --url http://localhost:7007 --as admin',
      'echo "$TOKEN" | paved-road login --token-stdin',
      'PAVED_ROAD_TOKEN=… paved-road whoami   # CI: no login, nothing stored',
    ],
  ).action(
    action(async (ctx, options: { as?: string; tokenStdin?: boolean }) => {
      if (options.as && options.tokenStdin) {
        throw usageError('--as and --token-stdin cannot be combined');
      }
      const fromEnvironment = process.env.PAVED_ROAD_TOKEN?.trim();
      if (fromEnvironment && !options.as && !options.tokenStdin) {
        await verify(ctx, fromEnvironment);
        const session = sessionFromToken(fromEnvironment);
        const result = {
          url: ctx.url,
          userEntityRef: session.userEntityRef,
          method: 'environment',
          expiresAt: session.expiresAt,
          storedIn: null,
        };
        if (ctx.out.json) return ctx.out.printJson(result);
        ctx.out.line(
          `PAVED_ROAD_TOKEN is set and accepted by ${ctx.url}: commands run as ${session.userEntityRef}. Nothing was stored.`,
        );
        return undefined;
      }

      let session: StoredSession;
      if (options.tokenStdin) {
        const token = await readStdin();
        if (!token) throw usageError('--token-stdin: stdin was empty');
        await verify(ctx, token);
        session = sessionFromToken(token);
      } else {
        session = await signIn(
          ctx.url,
          options.as
            ? { method: 'sample-user', user: options.as }
            : { method: 'guest' },
        );
      }
      await saveSession(ctx.url, session);
      const result = {
        url: ctx.url,
        userEntityRef: session.userEntityRef,
        method: session.method,
        expiresAt: session.expiresAt,
        storedIn: credentialsPath(),
      };
      if (ctx.out.json) return ctx.out.printJson(result);
      ctx.out.line(
        `Signed in to ${ctx.url} as ${session.userEntityRef} (${describeMethod(
          session,
        )}).`,
      );
      ctx.out.line(
        session.method === 'token'
          ? `Session stored in ${result.storedIn}; it ends at ${shortTime(
              session.expiresAt,
            )}.`
          : `Session stored in ${result.storedIn}; renewed by signing in again when it ends.`,
      );
      return undefined;
    }),
  );

  examples(
    program
      .command('logout')
      .description('Forget the session stored for the portal'),
    ['paved-road logout', 'paved-road logout --url https://portal.example.com'],
  ).action(
    action(async ctx => {
      const removed = await removeSession(ctx.url);
      if (ctx.out.json) return ctx.out.printJson({ url: ctx.url, removed });
      ctx.out.line(
        removed
          ? `Signed out of ${ctx.url}.`
          : `No session was stored for ${ctx.url}.`,
      );
      return undefined;
    }),
  );

  examples(
    program
      .command('whoami')
      .description(
        'Who the portal sees: the signed-in user, their groups and when the session ends',
      ),
    ['paved-road whoami', 'paved-road whoami --output json'],
  ).action(
    action(async ctx => {
      const fromEnvironment = process.env.PAVED_ROAD_TOKEN?.trim();
      const stored = await loadSession(ctx.url);
      const token = fromEnvironment || stored?.token;
      if (!token) {
        throw new CliError(
          `Not signed in to ${ctx.url}. Run: paved-road login --url ${ctx.url}`,
          EXIT.auth,
        );
      }
      // Through the client, so an ended guest session is renewed first.
      // Tokens no longer carry the groups: the portal's user info does.
      const info = await ctx.client.get<{
        claims?: { sub?: string; ent?: string[] };
      }>('/api/auth/v1/userinfo');
      const current = fromEnvironment
        ? fromEnvironment
        : (await loadSession(ctx.url))!.token;
      const claims = readClaims(current);
      const result = {
        url: ctx.url,
        userEntityRef: info.claims?.sub ?? claims.sub ?? null,
        ownershipEntityRefs: info.claims?.ent ?? [],
        method: fromEnvironment ? 'environment' : stored!.method,
        expiresAt:
          typeof claims.exp === 'number'
            ? new Date(claims.exp * 1000).toISOString()
            : null,
      };
      if (ctx.out.json) return ctx.out.printJson(result);
      ctx.out.fields([
        ['Portal', result.url],
        ['User', result.userEntityRef],
        [
          'Groups',
          result.ownershipEntityRefs
            .filter(r => r !== result.userEntityRef)
            .join(', '),
        ],
        [
          'Signed in by',
          fromEnvironment ? 'PAVED_ROAD_TOKEN' : describeMethod(stored!),
        ],
        ['Session ends', shortTime(result.expiresAt)],
      ]);
      return undefined;
    }),
  );
}
