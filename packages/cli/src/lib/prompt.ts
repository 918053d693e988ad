import { createInterface } from 'node:readline/promises';

/**
 * Asks one question on the terminal (on stderr, so stdout stays the
 * result) and returns the answer, trimmed. Ctrl-D answers ''.
 */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } catch {
    return '';
  } finally {
    rl.close();
  }
}

/** A yes/no question; only `y` or `yes` is yes. */
export async function confirm(question: string): Promise<boolean> {
  const answer = await ask(`${question} [y/N] `);
  return /^y(es)?$/i.test(answer);
}
