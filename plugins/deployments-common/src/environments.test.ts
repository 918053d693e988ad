import {
  isPreviewEnvironment,
  MAX_ENVIRONMENT_NAME_LENGTH,
  previewEnvironmentName,
} from './environments';

describe('previewEnvironmentName', () => {
  it.each([
    ['feature/Login-Form', 'preview-feature-login-form'],
    ['fix__two  spaces', 'preview-fix-two-spaces'],
    ['-leading/and/trailing-', 'preview-leading-and-trailing'],
    ['release/1.2.3', 'preview-release-1-2-3'],
  ])('%s → %s', (branch, name) => {
    expect(previewEnvironmentName(branch)).toBe(name);
  });

  it('cuts a long branch to the longest name the API accepts, without a trailing dash', () => {
    const name = previewEnvironmentName(`${'a'.repeat(54)}-${'b'.repeat(20)}`);
    expect(name.length).toBeLessThanOrEqual(MAX_ENVIRONMENT_NAME_LENGTH);
    expect(name).toBe(`preview-${'a'.repeat(54)}`);
  });

  it('names a preview environment', () => {
    expect(isPreviewEnvironment(previewEnvironmentName('x'))).toBe(true);
    expect(isPreviewEnvironment('production')).toBe(false);
  });
});
