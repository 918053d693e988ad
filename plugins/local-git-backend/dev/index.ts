import { createBackend } from '@backstage/backend-defaults';

// Serves ../../.data/git (the embedded default's repositories) on :7007:
//
//   curl http://localhost:7007/api/local-git/health
//   git clone http://localhost:7007/api/local-git/<name>.git
//
// Start with `yarn start` in this package; it reads the repository's
// app-config.yaml, which sets pavedRoad.localGit.
const backend = createBackend();
backend.add(import('../src'));
backend.start();
