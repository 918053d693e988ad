import { secondsToWait } from './octokit';

describe('secondsToWait', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('takes retry-after, else the rate limit reset, else a minute', () => {
    expect(secondsToWait({ 'retry-after': '7' }, now)).toBe(7);
    expect(
      secondsToWait(
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(now / 1000 + 30),
        },
        now,
      ),
    ).toBe(31);
    expect(secondsToWait({ 'x-ratelimit-remaining': '12' }, now)).toBe(60);
    expect(secondsToWait(undefined, now)).toBe(60);
  });
});
