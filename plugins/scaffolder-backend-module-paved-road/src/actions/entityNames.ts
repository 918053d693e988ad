import { AuthService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

const validator = makeValidator();

/**
 * Parses `kind:namespace/name` (namespace defaults to `default`); an
 * incomplete or malformed ref is an InputError naming `field`.
 */
export function parseFullEntityRef(
  ref: string,
  field: string,
): CompoundEntityRef {
  const invalid = () =>
    new InputError(
      `${field}: "${ref}" is not an entity ref (kind:namespace/name)`,
    );
  let parsed: CompoundEntityRef;
  try {
    parsed = parseEntityRef(ref, { defaultNamespace: 'default' });
  } catch {
    throw invalid();
  }
  // parseEntityRef splits; the catalog's own rules say what a valid part is.
  if (
    !validator.isValidKind(parsed.kind) ||
    !validator.isValidNamespace(parsed.namespace) ||
    !validator.isValidEntityName(parsed.name)
  ) {
    throw invalid();
  }
  return parsed;
}

/**
 * Fails with a ConflictError when the catalog already holds an entity of
 * that kind, namespace and name. Asked with the module's own credentials, so
 * an entity the user may not read still counts as taken.
 */
export async function assertEntityNameFree(options: {
  catalog: CatalogService;
  auth: AuthService;
  entityRef: CompoundEntityRef;
}): Promise<void> {
  const { catalog, auth, entityRef } = options;
  const existing = await catalog.getEntityByRef(entityRef, {
    credentials: await auth.getOwnServiceCredentials(),
  });
  if (existing) {
    const owner = existing.spec?.owner;
    throw new ConflictError(
      `The name ${entityRef.name} is taken: ${stringifyEntityRef(
        existing,
      )} is already in the catalog${
        typeof owner === 'string' ? ` (owned by ${owner})` : ''
      }. Choose another name.`,
    );
  }
}
