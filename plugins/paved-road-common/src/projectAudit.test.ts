import { projectAuditRecordRequestSchema } from './projectAudit';

const VALID = {
  taskId: 't-1',
  createdBy: 'user:default/guest',
  templateRef: 'template:default/kotlin-library',
  entityRef: 'component:default/money-kt',
  owner: 'group:default/payments-core',
  businessUnit: 'group:default/payments',
  costCenter: 'CC-1002',
  repoUrl: 'https://github.com/acme/money-kt',
};

function firstIssue(body: unknown) {
  const result = projectAuditRecordRequestSchema.safeParse(body);
  return result.success
    ? undefined
    : `${result.error.issues[0].path.join('.')}: ${
        result.error.issues[0].message
      }`;
}

describe('projectAuditRecordRequestSchema', () => {
  it('accepts a complete record, with or without a business unit', () => {
    expect(firstIssue(VALID)).toBeUndefined();
    expect(firstIssue({ ...VALID, businessUnit: null })).toBeUndefined();
    expect(
      firstIssue({ ...VALID, repoUrl: 'file:///srv/git/money-kt.git' }),
    ).toBeUndefined();
  });

  it.each([
    [{ createdBy: 'guest' }, 'createdBy: must be a full User entity ref'],
    [{ createdBy: 'group:default/checkout' }, 'createdBy: must be a full User'],
    [{ owner: 'user:default/guest' }, 'owner: must be a full Group'],
    [
      { entityRef: 'user:default/guest' },
      'entityRef: must be a full Component',
    ],
    [{ templateRef: 'kotlin-library' }, 'templateRef: must be a full Template'],
    [{ repoUrl: 'github.com?owner=a&repo=b' }, 'repoUrl: must be an http(s)'],
    [{ costCenter: '' }, 'costCenter: '],
  ])('names the field of a bad value (%#)', (override, message) => {
    expect(firstIssue({ ...VALID, ...override })).toContain(message);
  });
});
