import { createHash } from 'node:crypto';
import { parseEntityRef } from '@backstage/catalog-model';
import { CustomErrorBase } from '@backstage/errors';
import {
  ANNOTATION_COST_CENTER,
  entityRefFromPathParams,
  isValidCostCenter,
} from '@paved-road/plugin-paved-road-common';
import { DateTime } from 'luxon';
import { CostLineItem } from '../database/CostStore';
import { CsvRecord, CsvSyntaxError, readCsvRecords } from './csv';

/** Tag naming the catalog entity a resource belongs to. */
export const TAG_SERVICE = 'paved-road.io/service';
/** Tag naming the cost center a resource is billed to. */
export const TAG_COST_CENTER = ANNOTATION_COST_CENTER;

/** The FOCUS 1.x columns read; any other column is ignored. */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ServiceName',
  'ResourceId',
  'ResourceName',
  'RegionId',
  'SubAccountId',
  'Tags',
] as const;

type FocusColumn = (typeof FOCUS_COLUMNS)[number];

/** A problem with one row. */
export interface FocusRowProblem {
  line: number;
  message: string;
}

// Enough to fix a broken export without flooding the logs with it
const MAX_PROBLEMS_LISTED = 10;

/** A billing export that is rejected as a whole. */
export class FocusCsvError extends CustomErrorBase {
  name = 'FocusCsvError' as const;

  constructor(
    readonly fileName: string,
    readonly problems: FocusRowProblem[],
    readonly problemCount: number = problems.length,
  ) {
    const listed = problems
      .slice(0, MAX_PROBLEMS_LISTED)
      .map(p => `line ${p.line}: ${p.message}`)
      .join('; ');
    const more =
      problemCount > MAX_PROBLEMS_LISTED
        ? ` (and ${problemCount - MAX_PROBLEMS_LISTED} more)`
        : '';
    super(`${fileName} rejected: ${listed}${more}`);
  }
}

export interface ParseFocusCsvOptions {
  /** Name used in error messages. */
  fileName: string;
  /**
   * Called for rows that are stored but cannot be allocated, e.g. a service
   * tag that is not an entity ref. They do not reject the file: one
   * mistagged resource should not hide a whole bill.
   */
  onWarning?: (warning: FocusRowProblem) => void;
}

// A plain or scientific decimal, as billing exports write them
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
// decimal(18, 6) keeps 12 integer digits
const MAX_ABS_AMOUNT = 1e12;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * Reads a FOCUS CSV export into line items. Rows that cannot be stored (a
 * bad date, amount, currency or Tags value) are collected; after the last
 * row a {@link FocusCsvError} lists them, so a consumer writing inside a
 * transaction rolls the whole file back.
 *
 * The amount is EffectiveCost (amortised, after discounts: what FinOps
 * recommends for showback), or BilledCost where EffectiveCost is empty.
 */
export async function* parseFocusCsv(
  chunks: AsyncIterable<string>,
  options: ParseFocusCsvOptions,
): AsyncGenerator<CostLineItem> {
  const { fileName } = options;
  const records = readCsvRecords(chunks);
  const problems: FocusRowProblem[] = [];
  let problemCount = 0;

  try {
    const first = await records.next();
    if (first.done) {
      throw new FocusCsvError(fileName, [
        { line: 1, message: 'the file is empty, expected a header row' },
      ]);
    }
    const header = readHeader(first.value, fileName);
    const occurrences = new Map<string, number>();

    for await (const record of records) {
      const result = toLineItem(record, header, occurrences);
      if ('problem' in result) {
        problemCount += 1;
        if (problems.length < MAX_PROBLEMS_LISTED) {
          problems.push({ line: record.line, message: result.problem });
        }
        continue;
      }
      for (const warning of result.warnings) {
        options.onWarning?.({ line: record.line, message: warning });
      }
      // Once the file is known to be bad, nothing more is handed out
      if (problemCount === 0) {
        yield result.item;
      }
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new FocusCsvError(fileName, [
        { line: error.line, message: error.message.replace(/^line \d+: /, '') },
      ]);
    }
    throw error;
  }

  if (problemCount > 0) {
    throw new FocusCsvError(fileName, problems, problemCount);
  }
}

type Header = {
  names: string[];
  index: Partial<Record<FocusColumn, number>>;
};

function readHeader(record: CsvRecord, fileName: string): Header {
  const names = record.fields.map(f => f.trim());
  const index: Header['index'] = {};
  for (const column of FOCUS_COLUMNS) {
    const i = names.indexOf(column);
    if (i >= 0) {
      index[column] = i;
    }
  }
  const missing: string[] = [];
  if (index.ChargePeriodStart === undefined) {
    missing.push('ChargePeriodStart');
  }
  if (index.BillingCurrency === undefined) {
    missing.push('BillingCurrency');
  }
  if (index.EffectiveCost === undefined && index.BilledCost === undefined) {
    missing.push('EffectiveCost or BilledCost');
  }
  if (missing.length > 0) {
    throw new FocusCsvError(fileName, [
      {
        line: record.line,
        message: `not a FOCUS export, the header lacks ${missing.join(', ')}`,
      },
    ]);
  }
  return { names, index };
}

type RowResult =
  | { problem: string }
  | { item: CostLineItem; warnings: string[] };

function toLineItem(
  record: CsvRecord,
  header: Header,
  occurrences: Map<string, number>,
): RowResult {
  const { fields } = record;
  if (fields.length !== header.names.length) {
    return {
      problem: `has ${fields.length} fields, the header has ${header.names.length}`,
    };
  }
  const get = (column: FocusColumn): string | undefined => {
    const i = header.index[column];
    const value = i === undefined ? undefined : fields[i].trim();
    return value === '' ? undefined : value;
  };

  const start = parseTimestamp(get('ChargePeriodStart'));
  if (!start) {
    return {
      problem: `ChargePeriodStart '${
        get('ChargePeriodStart') ?? ''
      }' is not an ISO 8601 date-time`,
    };
  }
  const endValue = get('ChargePeriodEnd');
  if (endValue !== undefined) {
    const end = parseTimestamp(endValue);
    if (!end) {
      return {
        problem: `ChargePeriodEnd '${endValue}' is not an ISO 8601 date-time`,
      };
    }
    if (end < start) {
      return { problem: 'ChargePeriodEnd is before ChargePeriodStart' };
    }
  }

  const amountColumn: FocusColumn =
    get('EffectiveCost') !== undefined ? 'EffectiveCost' : 'BilledCost';
  const amount = get(amountColumn);
  if (amount === undefined) {
    return { problem: 'both EffectiveCost and BilledCost are empty' };
  }
  if (!DECIMAL.test(amount) || !(Math.abs(Number(amount)) < MAX_ABS_AMOUNT)) {
    return { problem: `${amountColumn} '${amount}' is not an amount` };
  }

  const currency = get('BillingCurrency')?.toUpperCase();
  if (!currency || !CURRENCY.test(currency)) {
    return {
      problem: `BillingCurrency '${currency ?? ''}' is not an ISO 4217 code`,
    };
  }

  const tags = parseTags(get('Tags'));
  if (!tags) {
    return { problem: 'Tags is not a JSON object' };
  }
  const warnings: string[] = [];
  const entityRef = allocateService(tags.get(TAG_SERVICE), warnings);
  const costCenter = allocateCostCenter(tags.get(TAG_COST_CENTER), warnings);

  return {
    item: {
      rowKey: rowKey(header.names, fields, occurrences),
      chargeDate: start.toISODate()!,
      entityRef,
      costCenter,
      chargeCategory: get('ChargeCategory') ?? null,
      serviceName: get('ServiceName') ?? null,
      resourceId: get('ResourceId') ?? null,
      amount,
      currency,
    },
    warnings,
  };
}

// FOCUS writes UTC ISO 8601 ('2026-11-01T00:00:00Z'); some exporters write
// SQL style ('2026-11-01 00:00:00') or a bare date. No offset means UTC.
function parseTimestamp(value: string | undefined): DateTime | undefined {
  if (!value) {
    return undefined;
  }
  const iso = DateTime.fromISO(value, { zone: 'utc' });
  if (iso.isValid) {
    return iso;
  }
  const sql = DateTime.fromSQL(value, { zone: 'utc' });
  return sql.isValid ? sql : undefined;
}

// Tag keys compared case-insensitively: some providers lowercase them
function parseTags(value: string | undefined): Map<string, string> | undefined {
  const tags = new Map<string, string>();
  if (value === undefined) {
    return tags;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return undefined;
  }
  for (const [key, raw] of Object.entries(parsed)) {
    if (typeof raw === 'string' || typeof raw === 'number') {
      tags.set(key.toLocaleLowerCase('en-US'), String(raw).trim());
    }
  }
  return tags;
}

function allocateService(
  value: string | undefined,
  warnings: string[],
): string | null {
  if (!value) {
    return null;
  }
  let ref: string | undefined;
  try {
    ref = entityRefFromPathParams(
      parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    ref = undefined;
  }
  if (!ref) {
    warnings.push(
      `tag ${TAG_SERVICE} '${value}' is not an entity ref; the row is not allocated to an entity`,
    );
    return null;
  }
  return ref;
}

function allocateCostCenter(
  value: string | undefined,
  warnings: string[],
): string | null {
  if (!value) {
    return null;
  }
  if (!isValidCostCenter(value)) {
    warnings.push(
      `tag ${TAG_COST_CENTER} '${value}' is not a valid cost center; the row is not allocated to one`,
    );
    return null;
  }
  return value;
}

// Identical rows in one file are distinct charges, so the occurrence is part
// of the key; the same row in another file of the source is the same charge.
function rowKey(
  names: string[],
  fields: string[],
  occurrences: Map<string, number>,
): string {
  // Sorted by column name: the same row exported in another column order
  // is the same charge
  const content = JSON.stringify(
    names.map((name, i) => [name, fields[i]]).sort(byColumnName),
  );
  const contentHash = createHash('sha256').update(content).digest('hex');
  const occurrence = occurrences.get(contentHash) ?? 0;
  occurrences.set(contentHash, occurrence + 1);
  return createHash('sha256')
    .update(`${contentHash}#${occurrence}`)
    .digest('hex');
}

// Code unit order, not locale order: keys must not depend on the ICU build
function byColumnName([a]: string[], [b]: string[]): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
