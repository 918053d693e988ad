/**
 * The plugin id of `@paved-road/plugin-local-git-backend`, which serves the
 * repositories. Shared so that the scaffolder module can tell at start
 * whether the backend it runs in has the hosting installed.
 *
 * @public
 */
export const LOCAL_GIT_PLUGIN_ID = 'local-git';
