/**
 * The local runtime for Paved Road deployments (`deployments.provider:
 * local`): builds a service with Maven and runs it as JVM processes behind
 * one stable local URL per service and environment.
 *
 * @packageDocumentation
 */
export { deploymentsModuleLocal as default } from './module';
