import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';

// Paved Road's own plugins (deployments, costs) and the stock ones are
// discovered from package.json through `app.packages: all`.
export default createApp({
  features: [catalogPlugin, navModule, homeModule, signInModule],
});
