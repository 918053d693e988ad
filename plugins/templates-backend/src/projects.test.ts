import { Entity } from '@backstage/catalog-model';
import { oneEntityPerProject } from './projects';

const entity = (kind: string, name: string, location?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name,
    annotations: location
      ? { 'backstage.io/managed-by-location': location }
      : {},
  },
});

describe('oneEntityPerProject', () => {
  it("keeps a repository's Component and drops its API, whatever the order", () => {
    const a =
      'url:http://localhost:7007/api/local-git/a/raw/main/catalog-info.yaml';
    const b =
      'url:http://localhost:7007/api/local-git/b/raw/main/catalog-info.yaml';
    expect(
      oneEntityPerProject([
        entity('API', 'a-api', a),
        entity('Component', 'a', a),
        entity('Component', 'b', b),
        entity('API', 'b-api', b),
        entity('Component', 'handmade'),
      ]).map(e => e.metadata.name),
    ).toEqual(['a', 'b', 'handmade']);
  });
});
