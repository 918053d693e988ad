import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerService } from '@backstage/backend-plugin-api';
import { isolatedGitEnv } from '@paved-road/plugin-local-git-node';

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Answers one smart-HTTP fetch request (`info/refs?service=git-upload-pack`
 * or `git-upload-pack`) by running `git http-backend` as a CGI program.
 * The request body is streamed to its stdin, so this must run before any
 * body parser has consumed it. The caller has already checked the service
 * and that the repository exists.
 */
export function serveGitUploadPack(options: {
  req: IncomingMessage;
  res: ServerResponse;
  projectRoot: string;
  /** `/<name>.git/info/refs` or `/<name>.git/git-upload-pack`. */
  pathInfo: string;
  queryString: string;
  logger: LoggerService;
}): Promise<void> {
  const { req, res, projectRoot, pathInfo, queryString, logger } = options;
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? { [name]: value } : {};
  };
  const cgiEnv: Record<string, string> = {
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: queryString,
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    // http-backend enables receive-pack for any authenticated REMOTE_USER, so
    // pushing is switched off here as well as in the router and repo config.
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'false',
    GIT_CONFIG_KEY_1: 'http.getanyfile',
    GIT_CONFIG_VALUE_1: 'false',
  };
  const passThrough: Record<string, string> = {
    'content-type': 'CONTENT_TYPE',
    'content-length': 'CONTENT_LENGTH',
    // gzip-compressed negotiation requests and protocol v2.
    'content-encoding': 'HTTP_CONTENT_ENCODING',
    'git-protocol': 'HTTP_GIT_PROTOCOL',
  };
  for (const [name, variable] of Object.entries(passThrough)) {
    const value = header(name)[name];
    if (value) {
      cgiEnv[variable] = value;
    }
  }

  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], {
      env: isolatedGitEnv(cgiEnv),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let head: Buffer = Buffer.alloc(0);
    let headersSent = false;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve();
    };

    // A client that goes away must not leave git running.
    res.on('close', () => {
      if (child.exitCode === null) child.kill();
    });
    child.on('error', error => settle(error));
    child.stderr.on('data', chunk => {
      stderr += chunk.toString('utf8');
    });

    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEADER_END);
      if (end < 0) return;
      writeCgiHeaders(res, head.subarray(0, end).toString('latin1'));
      headersSent = true;
      res.write(head.subarray(end + HEADER_END.length));
    });

    child.on('close', code => {
      if (stderr.trim()) {
        logger.debug(`git http-backend ${pathInfo}: ${stderr.trim()}`);
      }
      if (!headersSent) {
        settle(
          new Error(
            `git http-backend exited with ${code} without a response for ${pathInfo}`,
          ),
        );
        return;
      }
      res.end();
      settle();
    });

    if (req.method === 'POST') {
      req.pipe(child.stdin);
      req.on('error', () => child.kill());
    } else {
      child.stdin.end();
    }
    // EPIPE when git stops reading early (e.g. it rejected the request).
    child.stdin.on('error', () => {});
  });
}

function writeCgiHeaders(res: ServerResponse, block: string) {
  let status = 200;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = parseInt(value, 10) || 500;
    } else {
      res.setHeader(name, value);
    }
  }
  res.statusCode = status;
}
