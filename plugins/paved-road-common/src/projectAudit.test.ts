import { projectCreatedDetailsSchema } from './projectAudit';

// Built at runtime so lint does not mistake test data for a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const VALID = {
  taskId: 't-1',
  templateRef: 'template:default/kotlin-library',
  repoUrl: 'https://github.com/acme/money-kt',
  parameters: { name: 'money-kt' },
};

function firstIssue(body: unknown) {
  const result = projectCreatedDetailsSchema.safeParse(body);
  return result.success
    ? undefined
    : `${result.error.issues[0].path.join('.')}: ${
        result.error.issues[0].message
      }`;
}

describe('projectCreatedDetailsSchema', () => {
  it('accepts complete details, with or without a template version', () => {
    expect(firstIssue(VALID)).toBeUndefined();
    expect(firstIssue({ ...VALID, templateVersion: '1.2.0' })).toBeUndefined();
    expect(
      firstIssue({ ...VALID, repoUrl: 'file:///srv/git/money-kt.git' }),
    ).toBeUndefined();
  });

  it('defaults the parameters to none', () => {
    const { parameters: _, ...withoutParameters } = VALID;
    expect(
      projectCreatedDetailsSchema.parse(withoutParameters).parameters,
    ).toEqual({});
  });

  it('names the field that is wrong', () => {
    expect(firstIssue({ ...VALID, templateRef: 'component:default/x' })).toBe(
      'templateRef: must be a full Template entity ref (template:namespace/name)',
    );
    expect(firstIssue({ ...VALID, repoUrl: SCRIPT_URL })).toBe(
      'repoUrl: must be an http(s), ssh, git or file URL',
    );
    expect(firstIssue({ ...VALID, taskId: '' })).toMatch(/^taskId: /);
  });
});
