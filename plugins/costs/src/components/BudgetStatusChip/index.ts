export { BudgetStatusChip } from './BudgetStatusChip';
