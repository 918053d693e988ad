import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Entity content is lazy loaded; under the full parallel suite on two cores
// that can take longer than findBy's one-second default.
configure({ asyncUtilTimeout: 15_000 });
// A test that waits on several lazy pages needs more than Jest's 5 s default.
jest.setTimeout(60_000);
