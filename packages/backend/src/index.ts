import { createBackend } from '@backstage/backend-defaults';
import { hardenedRootHttpRouter } from './http/rootHttpRouter';

const backend = createBackend();

// JSON bodies bounded in size and depth before any plugin reads them; no
// stack traces in error bodies (pavedRoad.http, packages/backend/config.d.ts).
backend.add(hardenedRootHttpRouter);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Auth: guest sign-in on the embedded default, GitHub in production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Sign-in as the sample admin or another team's developer (embedded default).
backend.add(
  import('@paved-road/plugin-auth-backend-module-sample-users-provider'),
);
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// Catalog, with Paved Road's owner / cost-center processor.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@paved-road/plugin-catalog-backend-module-paved-road'));
// Failed and pending entities, for paved-road-backend's hygiene list.
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// Scaffolder, with Paved Road's actions.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@paved-road/plugin-scaffolder-backend-module-paved-road'));

// Paved Road domains.
// Audit trail, project records and hygiene list under /api/paved-road.
backend.add(import('@paved-road/plugin-paved-road-backend'));
backend.add(import('@paved-road/plugin-deployments-backend'));
backend.add(import('@paved-road/plugin-deployments-backend-module-local'));
backend.add(
  import('@paved-road/plugin-deployments-backend-module-github-actions'),
);
backend.add(import('@paved-road/plugin-costs-backend'));
// Template versions, project upgrades and template health.
backend.add(import('@paved-road/plugin-templates-backend'));
// Git hosting for the embedded default's published projects.
backend.add(import('@paved-road/plugin-local-git-backend'));

// Permissions: owners change their own projects, platform engineers manage
// the catalog, admins may do all (pavedRoad.permissions).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@paved-road/plugin-permission-backend-module-paved-road'));

// Search: PostgreSQL engine in production, in-memory Lunr on SQLite.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// The shared event bus: signals and notifications published on one replica
// reach browsers connected to another (PostgreSQL; in memory on SQLite).
backend.add(import('@backstage/plugin-events-backend'));

// The actions of backend.actions.pluginSources as MCP tools at /api/mcp-actions/v1 (docs/mcp.md).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
