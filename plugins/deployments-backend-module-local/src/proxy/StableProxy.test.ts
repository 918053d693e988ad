import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { get } from '../__testUtils__/fakeService';
import { canListen, freePort } from './ports';
import { StableProxy } from './StableProxy';

describe('StableProxy', () => {
  const servers: http.Server[] = [];
  let proxy: StableProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    for (const server of servers.splice(0)) {
      await new Promise(resolve => server.close(resolve));
    }
  });

  async function backend(name: string): Promise<number> {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          name,
          path: req.url,
          forwardedFor: req.headers['x-forwarded-for'],
        }),
      );
    });
    servers.push(server);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  async function listen(ports: () => number[], failed = jest.fn()) {
    const port = await freePort();
    proxy = await StableProxy.listen({
      port,
      name: 'component:default/orders-service (production)',
      logger: mockServices.logger.mock(),
      targets: { ports, failed },
    });
    return { url: `http://localhost:${port}`, failed, port };
  }

  it('hands requests to the instances in turn, path and forwarding headers kept', async () => {
    const a = await backend('a');
    const b = await backend('b');
    const { url } = await listen(() => [a, b]);

    const answers = [];
    for (let n = 0; n < 4; n++)
      answers.push((await get(`${url}/greetings?x=1`)).json);

    expect(answers.map(x => x.name).sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(answers[0].name).not.toBe(answers[1].name);
    expect(answers[0]).toMatchObject({
      path: '/greetings?x=1',
      forwardedFor: expect.stringMatching(/127\.0\.0\.1/),
    });
  });

  it('answers 503 naming the service when no instance is healthy', async () => {
    const { url } = await listen(() => []);

    const res = await get(url);

    expect(res.status).toBe(503);
    expect(res.body).toBe(
      'No healthy instance of component:default/orders-service (production) is running.\n',
    );
  });

  it('sends a GET to another instance when one refuses, and reports it', async () => {
    const a = await backend('a');
    const gone = await freePort();
    const { url, failed } = await listen(() => [gone, a]);

    const names = [];
    for (let n = 0; n < 4; n++) names.push((await get(url)).json.name);

    expect(names).toEqual(['a', 'a', 'a', 'a']);
    expect(failed).toHaveBeenCalledWith(gone);
  });

  it('answers 502 to a POST whose instance refuses', async () => {
    const gone = await freePort();
    const { port, failed } = await listen(() => [gone]);

    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/orders',
          agent: false,
        },
        res => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });

    expect(status).toBe(502);
    expect(failed).toHaveBeenCalledWith(gone);
  });

  it('frees its port when closed', async () => {
    const { port } = await listen(() => []);
    await expect(canListen(port)).resolves.toBe(false);

    await proxy!.close();
    proxy = undefined;

    await expect(canListen(port)).resolves.toBe(true);
  });
});
