export { ReportProblemDialog } from './ReportProblemDialog';
