export { EntityAuditCard } from './EntityAuditCard';
