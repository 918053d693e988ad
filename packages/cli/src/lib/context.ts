import { defaultPortalUrl } from './credentials';
import { Output, OutputFormat } from './output';
import { normalizePortalUrl, PortalClient } from './PortalClient';
import { tokenSource } from './session';

/** The embedded default's backend (`./scripts/start`). */
export const DEFAULT_PORTAL_URL = 'http://localhost:7007';

/** Options every command takes. */
export type GlobalOptions = {
  url?: string;
  output: OutputFormat;
};

/** What a command works with: the portal, its API and where to write. */
export type Context = {
  url: string;
  client: PortalClient;
  out: Output;
};

/**
 * The portal is `--url`, else `PAVED_ROAD_URL`, else the one last signed
 * in to, else the embedded default.
 */
export async function resolvePortalUrl(flag?: string): Promise<string> {
  return normalizePortalUrl(
    flag ??
      (process.env.PAVED_ROAD_URL || undefined) ??
      (await defaultPortalUrl()) ??
      DEFAULT_PORTAL_URL,
  );
}

export async function createContext(options: GlobalOptions): Promise<Context> {
  const url = await resolvePortalUrl(options.url);
  return {
    url,
    client: new PortalClient(url, tokenSource(url)),
    out: new Output(options.output),
  };
}
