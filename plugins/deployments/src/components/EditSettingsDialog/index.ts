export { EditSettingsDialog } from './EditSettingsDialog';
