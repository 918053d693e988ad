/**
 * Node library for Paved Road deployments: the interface a deployment
 * provider implements and the extension point that adds one.
 *
 * @packageDocumentation
 */
export * from './DeploymentProvider';
export * from './extensionPoint';
