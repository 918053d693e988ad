import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

// What a User entity ref's name may hold; a git author such as
// `Jo Doe <jo@example.com>` (a commit by someone the catalog does not know)
// is not one and is shown as it is.
const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function userRef(actor: string) {
  try {
    const ref = parseEntityRef(actor, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    return ENTITY_NAME.test(ref.name) && ENTITY_NAME.test(ref.namespace)
      ? ref
      : undefined;
  } catch {
    return undefined;
  }
}

/** Who did something: a link to their User entity, or the name as recorded. */
export function ActorLink(props: { actor: string }) {
  const ref = userRef(props.actor);
  return ref ? (
    <EntityRefLink entityRef={ref} defaultKind="user" />
  ) : (
    <>{props.actor}</>
  );
}
