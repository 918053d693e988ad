import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';

/** Header the sign-in page sends to say which sample user to sign in as. */
export const SAMPLE_USER_HEADER = 'x-paved-road-sample-user';

/** One configured sample user (`pavedRoad.sampleUsers`). */
export type SampleUser = {
  id: string;
  userEntityRef: string;
  title: string;
};

/** Reads `pavedRoad.sampleUsers`; a bad entry stops the backend at start. */
export function readSampleUsers(config: Config): SampleUser[] {
  const users = (
    config.getOptionalConfigArray('pavedRoad.sampleUsers') ?? []
  ).map((user, index) => {
    const ref = parseEntityRef(user.getString('userEntityRef'), {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
      throw new Error(
        `pavedRoad.sampleUsers[${index}].userEntityRef must refer to a User`,
      );
    }
    return {
      id: user.getString('id'),
      userEntityRef: stringifyEntityRef(ref),
      title: user.getString('title'),
    };
  });
  const ids = new Set(users.map(user => user.id));
  if (ids.size !== users.length) {
    throw new Error('pavedRoad.sampleUsers: every id must be unique');
  }
  return users;
}
