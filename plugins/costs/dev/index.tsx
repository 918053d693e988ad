import { createDevApp } from '@backstage/frontend-dev-utils';

import plugin from '../src/alpha';

// The Cost tab lives on entity pages; open an entity with a
// paved-road.io/cost-center annotation to see it.
createDevApp({ features: [plugin] });
