import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Entity content is lazy loaded; under the full parallel suite on two cores
// that can take longer than findBy's one-second default.
configure({ asyncUtilTimeout: 15_000 });
