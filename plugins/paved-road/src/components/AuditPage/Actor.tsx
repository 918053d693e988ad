import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * Who acted: a user links to their catalog page; `plugin:<id>` (a backend
 * acting on its own) has none and is shown as is.
 */
export const Actor = ({ actor }: { actor: string }) => {
  let isUser = false;
  try {
    isUser = parseEntityRef(actor).kind.toLocaleLowerCase('en-US') === 'user';
  } catch {
    // Not an entity ref: shown as is.
  }
  return isUser ? <EntityRefLink entityRef={actor} /> : <>{actor}</>;
};
