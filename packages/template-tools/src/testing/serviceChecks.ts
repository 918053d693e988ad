import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { RunningService } from './service';

/** The example toggle of the Kotlin service template (2.0.0 and later). */
export const EXAMPLE_TOGGLE = 'greeting-shout';
const FLAGS_FILE = 'flags/flags.json';

/** Its health endpoints answer UP, liveness probe included. */
export async function checkHealth(service: RunningService): Promise<void> {
  const health = await service.get('/actuator/health');
  const liveness = await service.get('/actuator/health/liveness');
  if (
    health.status !== 200 ||
    JSON.parse(health.body).status !== 'UP' ||
    JSON.parse(liveness.body).status !== 'UP'
  ) {
    throw new Error(
      `not healthy: ${health.status} ${health.body} / ${liveness.body}`,
    );
  }
}

/**
 * A request that carries a W3C `traceparent` is logged, as JSON, with that
 * trace id and a span id of its own: tracing joins the caller's trace and
 * the logs carry it. Returns the log line.
 */
export async function checkTraceIdsInLogs(
  service: RunningService,
): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  const name = `trace${randomBytes(4).toString('hex')}`;
  const answer = await service.get(`/api/greetings?name=${name}`, {
    traceparent: `00-${traceId}-${parentSpanId}-01`,
  });
  if (answer.status !== 200) {
    throw new Error(`GET /api/greetings: ${answer.status} ${answer.body}`);
  }
  const line = await service.waitForLogLine(l => l.includes(name));
  const record = JSON.parse(line) as Record<string, unknown>;
  const logged = (key: RegExp) =>
    Object.entries(flatten(record)).find(([k]) => key.test(k))?.[1];
  const loggedTrace = logged(/^trace[._]?id$/i);
  const loggedSpan = logged(/^span[._]?id$/i);
  if (loggedTrace !== traceId || !/^[0-9a-f]{16}$/.test(String(loggedSpan))) {
    throw new Error(
      `expected trace id ${traceId} and a span id in the log line:\n${line}`,
    );
  }
  return line;
}

/**
 * Flips the example toggle in the service's flags file, in its working
 * directory, and waits for `GET /api/greetings` to follow without a
 * restart; then flips it back. Returns how long each flip took to show.
 */
export async function checkToggleFlips(
  service: RunningService,
  dir: string,
  timeoutMs = 20_000,
): Promise<{ onMs: number; offMs: number }> {
  const file = join(dir, FLAGS_FILE);
  const original = await fs.readFile(file, 'utf8');
  const greeting = async () =>
    JSON.parse((await service.get('/api/greetings?name=Ada')).body).message;
  const setVariant = async (variant: 'on' | 'off') => {
    const flags = JSON.parse(original);
    flags.flags[EXAMPLE_TOGGLE].defaultVariant = variant;
    await fs.writeFile(file, `${JSON.stringify(flags, null, 2)}\n`);
  };
  const waitFor = async (expected: string) => {
    const started = Date.now();
    for (;;) {
      const message = await greeting();
      if (message === expected) return Date.now() - started;
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `the greeting stayed ${JSON.stringify(message)}, not ${JSON.stringify(expected)}, ${timeoutMs} ms after ${FLAGS_FILE} changed`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  };
  if ((await greeting()) !== 'Hello, Ada!') {
    throw new Error(`${EXAMPLE_TOGGLE} should start off: ${await greeting()}`);
  }
  try {
    await setVariant('on');
    const onMs = await waitFor('HELLO, ADA!');
    await setVariant('off');
    const offMs = await waitFor('Hello, Ada!');
    return { onMs, offMs };
  } finally {
    await fs.writeFile(file, original);
  }
}

function flatten(
  value: Record<string, unknown>,
  prefix = '',
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.entries(flatten(v as Record<string, unknown>, `${prefix}${key}.`))
        : [[`${prefix}${key}`, v]],
    ),
  );
}
