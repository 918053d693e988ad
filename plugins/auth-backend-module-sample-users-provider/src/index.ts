/**
 * Sign-in as one of a few configured sample users on a development machine,
 * so both sides of every permission rule can be tried.
 *
 * @packageDocumentation
 */

export { authModuleSampleUsersProvider as default } from './module';
export { SAMPLE_USER_HEADER } from './sampleUsers';
