import { createDevApp } from '@backstage/frontend-dev-utils';

import plugin from '../src/alpha';

// The health card attaches to the catalog entity page; add
// `@backstage/plugin-catalog/alpha` here to see it in a standalone dev app.
createDevApp({ features: [plugin] });
