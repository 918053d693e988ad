export { CostExplorerPage } from './CostExplorerPage';
