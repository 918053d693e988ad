import { ConfigReader } from '@backstage/config';
import {
  deploymentTarget,
  environmentKind,
  readEnvironmentsConfig,
} from './environments';

const config = (deployments: object) =>
  readEnvironmentsConfig(new ConfigReader({ deployments }));

describe('readEnvironmentsConfig', () => {
  it('defaults to production, previews living three days, cleaned up every five minutes', () => {
    expect(readEnvironmentsConfig(new ConfigReader({}))).toEqual({
      standard: ['production'],
      previewTtlMs: 3 * 24 * 60 * 60 * 1000,
      cleanupSchedule: {
        frequency: { minutes: 5 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 1 },
      },
    });
  });

  it('reads the environments, the TTL and the schedule', () => {
    expect(
      config({
        environments: ['production', 'staging'],
        previews: {
          ttl: { hours: 4 },
          cleanup: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
        },
      }),
    ).toEqual({
      standard: ['production', 'staging'],
      previewTtlMs: 4 * 60 * 60 * 1000,
      cleanupSchedule: expect.objectContaining({
        frequency: { minutes: 1 },
        timeout: { seconds: 30 },
      }),
    });
    expect(config({ previews: { ttl: '2h' } }).previewTtlMs).toBe(
      2 * 60 * 60 * 1000,
    );
  });

  it.each([
    [{ environments: ['Prod'] }, /deployments\.environments: "Prod" must be/],
    [{ environments: ['preview-x'] }, /not start with preview-/],
    [{ environments: [] }, /at least one environment, each once/],
    [{ environments: ['qa', 'qa'] }, /at least one environment, each once/],
    [{ previews: { ttl: { hours: 0 } } }, /deployments\.previews\.ttl/],
  ])('refuses %p', (deployments, message) => {
    expect(() => config(deployments)).toThrow(message);
  });
});

describe('deploymentTarget', () => {
  const environments = config({ environments: ['production', 'staging'] });

  it('accepts a configured environment with any ref', () => {
    expect(
      deploymentTarget(environments, { environment: 'staging', ref: 'v1' }),
    ).toEqual({ kind: 'standard', branch: null });
    expect(environmentKind(environments, 'production')).toBe('standard');
  });

  it('accepts the preview of the branch in ref', () => {
    expect(
      deploymentTarget(environments, {
        environment: 'preview-feature-login-form',
        ref: 'feature/Login-Form',
      }),
    ).toEqual({ kind: 'preview', branch: 'feature/Login-Form' });
    expect(environmentKind(environments, 'preview-x')).toBe('preview');
  });

  it.each([
    [
      { environment: 'qa' },
      'environment: qa is neither a configured environment (production, staging) nor a preview (preview-<branch>)',
    ],
    [
      { environment: 'preview-feature-x' },
      /^environment: a preview deploys a branch: give the branch as ref/,
    ],
    [
      { environment: 'preview-other', ref: 'feature/x' },
      'environment: a preview deploys a branch: preview-feature-x for ref feature/x',
    ],
  ])('400 naming the field for %p', (request, message) => {
    expect(() => deploymentTarget(environments, request)).toThrow(message);
  });
});
