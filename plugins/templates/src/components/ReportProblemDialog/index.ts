export { ReportProblemDialog } from './ReportProblemDialog';
export { ReportProblemButton } from './ReportProblemButton';
