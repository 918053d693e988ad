import express from 'express';
import request from 'supertest';
import {
  createErrorBodyFilter,
  redactPaths,
  scrubErrorBody,
} from './errorBody';

describe('scrubErrorBody', () => {
  it('drops the stack of the error and of its causes', () => {
    const body = {
      error: {
        name: 'Error',
        message: 'boom',
        stack: 'Error: boom\n    at /work/main/x.ts:1:1',
        cause: { name: 'TypeError', message: 'inner', stack: 'TypeError...' },
      },
      request: { method: 'POST', url: '/api/scaffolder/v2/tasks' },
      response: { statusCode: 500 },
    };
    expect(scrubErrorBody(body)).toEqual({
      error: {
        name: 'Error',
        message: 'boom',
        cause: { name: 'TypeError', message: 'inner' },
      },
      request: { method: 'POST', url: '/api/scaffolder/v2/tasks' },
      response: { statusCode: 500 },
    });
  });

  it('leaves bodies that are not error bodies alone', () => {
    expect(scrubErrorBody({ errors: [{ stack: 'x' }] })).toEqual({
      errors: [{ stack: 'x' }],
    });
    expect(scrubErrorBody('text')).toBe('text');
  });
});

describe('redactPaths', () => {
  it.each([
    [
      "ENOENT: no such file or directory, open '/tmp/backstage/x/catalog-info.yaml'",
      "ENOENT: no such file or directory, open '<path>'",
    ],
    ['failed at /home/dev/app/node_modules/x.js:12', 'failed at <path>'],
    [`cannot read ${process.cwd()}/config.yaml`, 'cannot read <path>'],
    ['C:\\Users\\dev\\x.yaml missing', '<path> missing'],
  ])('%s', (message, expected) => {
    expect(redactPaths(message)).toBe(expected);
  });

  it.each([
    'GET /api/catalog/entities/by-name/component/default/x not found',
    'could not reach http://localhost:7007/api/local-git/x/raw/main/catalog-info.yaml',
    'input.entityRef: "component:default/x" is not an entity ref',
  ])('keeps %s', message => {
    expect(redactPaths(message)).toBe(message);
  });
});

describe('createErrorBodyFilter', () => {
  it('scrubs error responses of any handler, not successful ones', async () => {
    const app = express();
    app.use(createErrorBodyFilter());
    app.get('/ok', (_req, res) => res.json({ error: { stack: 'kept' } }));
    app.get('/fail', (_req, res) =>
      res.status(500).json({
        error: { name: 'Error', message: 'at /usr/lib/x.js', stack: 's' },
      }),
    );
    expect((await request(app).get('/ok')).body).toEqual({
      error: { stack: 'kept' },
    });
    expect((await request(app).get('/fail')).body).toEqual({
      error: { name: 'Error', message: 'at <path>' },
    });
  });
});
