import type {
  RollupGroupBy,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
import { stringify } from 'csv-stringify/sync';
import type { DrillStep } from './explorerState';

const COLUMNS = [
  'group_by',
  'filter',
  'key',
  'title',
  'entity_ref',
  'currency',
  'from',
  'to',
  'total',
  'previous_total',
  'change',
];

/**
 * The roll-up on screen as CSV: one line per group in the order shown, then
 * the unallocated line, with the period, dimension and drill-down filter on
 * every line so the file stands on its own.
 */
export function rollupCsv(
  report: RollupResponse,
  view: { groupBy: RollupGroupBy; filter?: DrillStep },
): string {
  const filter = view.filter
    ? `${view.filter.dimension}:${view.filter.key}`
    : '';
  const line = (
    key: string,
    title: string,
    entityRef: string,
    total: number,
    previousTotal: number,
  ) => [
    view.groupBy,
    filter,
    key,
    title,
    entityRef,
    report.currency,
    report.from,
    report.to,
    round(total),
    round(previousTotal),
    round(total - previousTotal),
  ];
  return stringify(
    [
      ...report.items.map(item =>
        line(
          item.key,
          item.title,
          item.entityRef ?? '',
          item.total,
          item.previousTotal,
        ),
      ),
      line(
        '',
        'Unallocated',
        '',
        report.unallocated.total,
        report.unallocated.previousTotal,
      ),
    ],
    { header: true, columns: COLUMNS },
  );
}

// Cents, so floating-point noise (0.1 + 0.2) does not end up in the file.
function round(amount: number): string {
  return amount.toFixed(2);
}

/** Hands a CSV to the browser as a download. */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(
    new Blob([csv], { type: 'text/csv;charset=utf-8' }),
  );
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}
