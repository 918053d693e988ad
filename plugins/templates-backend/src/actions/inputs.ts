import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { normalizeEntityRef } from '@paved-road/plugin-paved-road-common';

export const ENTITY_REF_DESCRIPTION =
  'The project, as an entity ref `kind:namespace/name`, e.g. `component:default/orders-service`; a bare name means a component in the default namespace.';

export const TEMPLATE_REF_DESCRIPTION =
  'The template, as `template:namespace/name` or its bare name, e.g. `kotlin-spring-service`.';

/** The catalog's lowercase ref, or InputError naming the field. */
export function refInput(
  value: string,
  field: string,
  defaultKind: 'component' | 'template',
): string {
  const ref = normalizeEntityRef(value, { defaultKind });
  if (!ref) {
    throw new InputError(`${field}: '${value}' is not an entity ref`);
  }
  return ref;
}

/** Writes are made by people, as on the REST routes (`allow: ['user']`). */
export function requireUser(
  auth: AuthService,
  credentials: BackstageCredentials,
): BackstageCredentials<BackstageUserPrincipal> {
  if (!auth.isPrincipal(credentials, 'user')) {
    throw new NotAllowedError('This action must be called as a signed-in user');
  }
  return credentials;
}
