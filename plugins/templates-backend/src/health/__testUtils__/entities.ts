import type { Entity } from '@backstage/catalog-model';

export const KOTLIN = 'template:default/kotlin-spring-service';

/** The Kotlin service template at 1.1.0, as the catalog holds it. */
export const kotlinTemplate: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'kotlin-spring-service',
    namespace: 'default',
    title: 'Kotlin service',
    annotations: { 'backstage.io/template-version': '1.1.0' },
  },
  spec: { type: 'service', steps: [] },
};

/** A service made from the Kotlin template at `version`. */
export function kotlinProject(name: string, version = '1.0.0'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/source-template': KOTLIN,
        'paved-road.io/template-version': version,
      },
    },
    spec: { type: 'service', owner: 'group:default/checkout' },
  };
}
