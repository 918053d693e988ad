import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import {
  createJsonBodyParser,
  DEFAULT_JSON_BODY_OPTIONS,
  depthExceeds,
} from './jsonBody';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

function app() {
  const server = express();
  server.use(
    '/api',
    createJsonBodyParser({
      limit: '1kb',
      maxDepth: 8,
      routes: [
        { path: '/api/big', limit: '64kb' },
        { path: '/api/big/small', limit: '100b' },
      ],
      passThrough: ['/api/proxy'],
    }),
  );
  server.post('/api/proxy/*', (req, res) => {
    let size = 0;
    req.on('data', chunk => {
      size += chunk.length;
    });
    req.on('end', () => res.json({ streamed: size, body: req.body ?? null }));
  });
  // A plugin's own parser with a tiny limit: skipped once the body is parsed.
  server.post('/api/*', express.json({ limit: '1b' }), (req, res) =>
    res.json({ body: req.body }),
  );
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  server.use(middleware.error({ showStackTraces: false }));
  return server;
}

describe('createJsonBodyParser', () => {
  it('parses a body once; the plugin parser does not read it again', async () => {
    const res = await request(app())
      .post('/api/x')
      .send({ a: [1, 2] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: { a: [1, 2] } });
  });

  it('answers 413 beyond the limit of the route, longest path first', async () => {
    const twoKb = { s: 'x'.repeat(2048) };
    expect((await request(app()).post('/api/x').send(twoKb)).status).toBe(413);
    expect((await request(app()).post('/api/big/y').send(twoKb)).status).toBe(
      200,
    );
    expect(
      (
        await request(app())
          .post('/api/big/small')
          .send({ s: 'x'.repeat(200) })
      ).status,
    ).toBe(413);
    // Only whole segments match: /api/bigger is not under /api/big.
    expect((await request(app()).post('/api/bigger').send(twoKb)).status).toBe(
      413,
    );
  });

  it('answers 400 for a body nested deeper than allowed, naming the limit', async () => {
    const res = await request(app())
      .post('/api/x')
      .send(nested(9) as object);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: 'Request body is nested deeper than 8 levels',
    });
    expect(
      (
        await request(app())
          .post('/api/x')
          .send(nested(8) as object)
      ).status,
    ).toBe(200);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await request(app())
      .post('/api/x')
      .set('content-type', 'application/json')
      .send('{"a":');
    expect(res.status).toBe(400);
  });

  it('leaves other content types and pass-through paths to the plugin', async () => {
    const text = await request(app())
      .post('/api/proxy/thing')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ s: 'x'.repeat(4096) }));
    expect(text.status).toBe(200);
    expect(text.body).toEqual({ streamed: 4104, body: null });
  });

  it('has the scaffolder dry run as its largest built-in route', () => {
    const dryRun = DEFAULT_JSON_BODY_OPTIONS.routes.find(
      r => r.path === '/api/scaffolder/v2/dry-run',
    );
    expect(dryRun?.limit).toBe('10mb');
  });
});

describe('depthExceeds', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(depthExceeds(1, 0)).toBe(false);
    expect(depthExceeds({}, 0)).toBe(true);
    expect(depthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(depthExceeds({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it('checks a 100 000 levels deep value without overflowing the stack', () => {
    expect(depthExceeds(nested(100_000), 32)).toBe(true);
  });
});
