/**
 * Paved Road's permission policy for the permission backend: owners change
 * their own projects, platform engineers manage the catalog, admins may do
 * everything, and everyone signed in may read.
 *
 * @packageDocumentation
 */

export { permissionModulePavedRoadPolicy as default } from './module';
export {
  PavedRoadPermissionPolicy,
  OWNER_PERMISSIONS,
  PLATFORM_ENGINEER_PERMISSIONS,
  type PavedRoadRoles,
} from './policy/PavedRoadPermissionPolicy';
export { GroupAncestry } from './policy/GroupAncestry';
