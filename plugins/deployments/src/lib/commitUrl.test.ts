import { commitUrlFor } from './commitUrl';

describe('commitUrlFor', () => {
  it.each([
    'https://github.com/acme/orders-service',
    'https://github.com/acme/orders-service.git',
    'https://github.com/acme/orders-service/',
    'git@github.com:acme/orders-service.git',
  ])('links a commit of %s to its GitHub page', repoUrl => {
    expect(commitUrlFor(repoUrl, 'c0ffee')).toBe(
      'https://github.com/acme/orders-service/commit/c0ffee',
    );
  });

  it.each([
    null,
    undefined,
    'http://localhost:7007/api/local-git/orders-service.git',
    'https://gitlab.example.com/acme/orders-service.git',
  ])('has no page for %s', repoUrl => {
    expect(commitUrlFor(repoUrl, 'c0ffee')).toBeNull();
  });
});
