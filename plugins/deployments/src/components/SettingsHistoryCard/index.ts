export { SettingsHistoryCard } from './SettingsHistoryCard';
