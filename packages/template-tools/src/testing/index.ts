/**
 * Checks of generated Kotlin projects, shared by the template tests here
 * and the upgrade tests of the templates plugin: build them with Maven on a
 * given JDK, start a service, and see its v2 features work.
 *
 * @packageDocumentation
 */
export { findJdk, jdkEnv, type Jdk } from './jdks';
export { mavenVerify, type MavenVerifyResult } from './maven';
export { startService, type RunningService } from './service';
export {
  checkHealth,
  checkToggleFlips,
  checkTraceIdsInLogs,
  EXAMPLE_TOGGLE,
} from './serviceChecks';
