const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** A timestamp in the viewer's locale and time zone. */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/**
 * Compact run time such as `45s`, `7m`, `7m 30s` or `1h 5m`; an em dash while
 * the deployment has not finished.
 */
export function formatDuration(
  startedAt: string,
  finishedAt: string | null,
): string {
  if (finishedAt === null) {
    return '—';
  }
  return formatSeconds((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000);
}

/** A span of seconds as `45s`, `7m 30s`, `1h 5m` or `2d 3h`. */
export function formatSeconds(seconds: number): string {
  const totalSeconds = Math.max(0, Math.round(seconds));
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const rest = totalSeconds % 60;
  if (days > 0) {
    return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  }
  if (hours > 0) {
    return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  if (minutes > 0) {
    return rest > 0 ? `${minutes}m ${rest}s` : `${minutes}m`;
  }
  return `${rest}s`;
}

/** The first seven characters of a commit sha, as git shows it. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/**
 * How long until a preview is torn down: `expires in 2d 3h`, or `expires
 * now` once due (the backend tears it down on its next round).
 */
export function formatExpiry(expiresAt: string, now = Date.now()): string {
  const seconds = (Date.parse(expiresAt) - now) / 1000;
  return seconds >= 1 ? `expires in ${formatSeconds(seconds)}` : 'expires now';
}
