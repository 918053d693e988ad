import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** How a stored session was obtained, so it can be renewed without asking. */
export type SignInMethod =
  | { method: 'guest' }
  | { method: 'sample-user'; user: string }
  | { method: 'token' };

export type StoredSession = SignInMethod & {
  token: string;
  userEntityRef: string;
  /** ISO 8601; when the token stops being accepted. */
  expiresAt: string | null;
};

type CredentialsFile = {
  version: 1;
  /** The portal commands use when neither --url nor PAVED_ROAD_URL says. */
  defaultUrl?: string;
  portals: Record<string, StoredSession>;
};

/**
 * `$XDG_CONFIG_HOME/paved-road` (default `~/.config/paved-road`): the
 * credentials file lives there, readable by its owner only.
 */
export function configDirectory(): string {
  const base =
    process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'paved-road');
}

export function credentialsPath(): string {
  return path.join(configDirectory(), 'credentials.json');
}

async function read(): Promise<CredentialsFile> {
  try {
    const parsed = JSON.parse(await fs.readFile(credentialsPath(), 'utf8'));
    if (parsed?.version === 1 && typeof parsed.portals === 'object') {
      return parsed;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      // A damaged file is replaced at the next login rather than fatal.
      return { version: 1, portals: {} };
    }
  }
  return { version: 1, portals: {} };
}

/**
 * Written to a temporary file created 0600 and renamed over the old one,
 * so the token is never readable by others, not even for a moment.
 */
async function write(file: CredentialsFile): Promise<void> {
  const dir = configDirectory();
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const target = credentialsPath();
  const temporary = `${target}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, {
    mode: 0o600,
  });
  await fs.chmod(temporary, 0o600);
  await fs.rename(temporary, target);
}

export async function loadSession(
  url: string,
): Promise<StoredSession | undefined> {
  return (await read()).portals[url];
}

export async function saveSession(
  url: string,
  session: StoredSession,
): Promise<void> {
  const file = await read();
  file.portals[url] = session;
  file.defaultUrl = url;
  await write(file);
}

/** Forgets the session of `url`; true when there was one. */
export async function removeSession(url: string): Promise<boolean> {
  const file = await read();
  if (!file.portals[url]) return false;
  delete file.portals[url];
  if (file.defaultUrl === url) delete file.defaultUrl;
  await write(file);
  return true;
}

export async function defaultPortalUrl(): Promise<string | undefined> {
  return (await read()).defaultUrl;
}
