import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonValue } from '@backstage/types';

/**
 * A catalog holding one Template, `template:default/<name>`, with these
 * form `parameters`: what the actions read to find its password fields.
 */
export function catalogWithTemplate(name: string, parameters: JsonValue) {
  return catalogServiceMock({
    entities: [
      {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name, namespace: 'default' },
        spec: { parameters },
      },
    ],
  });
}
