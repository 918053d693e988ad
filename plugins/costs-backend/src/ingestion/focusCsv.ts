import { CustomErrorBase } from '@backstage/errors';
import { CsvError, parse } from 'csv-parse';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CostLineItem } from '../database/CostStore';
import { Allocator } from './allocation';
import { CostColumn } from './config';

/** A row (or, at line 1, the header) that was not stored, and why. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** How many rejected rows are listed; all of them are counted. */
export const MAX_REJECTED_LISTED = 100;

/**
 * The file as a whole is refused: nothing of this version is stored and the
 * previous version of the file stays. `rejected` lists the rows that caused
 * it (and any bad rows seen before).
 */
export class FocusFileRejectedError extends CustomErrorBase {
  name = 'FocusFileRejectedError' as const;

  constructor(
    readonly rejected: RejectedRow[],
    readonly rejectedCount: number,
  ) {
    super(
      `rejected: ${rejected
        .slice(0, 3)
        .map(r => `line ${r.line}: ${r.reason}`)
        .join('; ')}${rejectedCount > 3 ? ` (${rejectedCount} rows)` : ''}`,
    );
  }
}

/** What was learned while reading a file; complete once `items` is done. */
export interface FocusReadResult {
  acceptedCount: number;
  rejectedCount: number;
  /** The first {@link MAX_REJECTED_LISTED} rejected rows. */
  rejected: RejectedRow[];
  /** Rows stored but not allocated as their tags asked, e.g. a bad ref. */
  warningCount: number;
  firstWarnings: RejectedRow[];
}

export interface ReadFocusCsvOptions {
  costColumn: CostColumn;
  allocator: Allocator;
  /** Rows charged after the day after this are rejected. */
  now: Date;
}

/** Columns every FOCUS 1.x export has that ingestion needs. */
const REQUIRED_COLUMNS = ['ChargePeriodStart', 'BillingCurrency'] as const;

// A plain or scientific decimal, as billing exports write them; no NaN or
// Infinity, which Number() would accept
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
// decimal(18, 6) keeps 12 integer digits
const MAX_ABS_AMOUNT = 1e12;
const CURRENCY = /^[A-Z]{3}$/;
// Cloud billing, let alone FOCUS, does not predate this
const EARLIEST_CHARGE = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/**
 * Reads a FOCUS 1.x CSV export (1.0 to 1.3 column sets; unknown columns are
 * ignored) with csv-parse, streaming: memory does not grow with the file.
 *
 * The rule, applied while streaming so a consumer writing inside one
 * transaction can roll the whole file back:
 * - a bad row (number, date, currency code, Tags, field count) is rejected
 *   and counted, the others are ingested;
 * - the file is rejected whole (the generator throws
 *   {@link FocusFileRejectedError}) when the header lacks a required column,
 *   the CSV syntax is broken, two currencies appear in the file, or no row
 *   at all is usable.
 */
export function readFocusCsv(
  input: Readable,
  options: ReadFocusCsvOptions,
): { items: AsyncGenerator<CostLineItem>; result: FocusReadResult } {
  const result: FocusReadResult = {
    acceptedCount: 0,
    rejectedCount: 0,
    rejected: [],
    warningCount: 0,
    firstWarnings: [],
  };
  return { items: generateItems(input, options, result), result };
}

async function* generateItems(
  input: Readable,
  options: ReadFocusCsvOptions,
  result: FocusReadResult,
): AsyncGenerator<CostLineItem> {
  const reject = (line: number, reason: string) => {
    result.rejectedCount += 1;
    if (result.rejected.length < MAX_REJECTED_LISTED) {
      result.rejected.push({ line, reason });
    }
  };
  const refuseFile = (line: number, reason: string): never => {
    reject(line, reason);
    throw new FocusFileRejectedError(result.rejected, result.rejectedCount);
  };

  const parser = input.pipe(
    parse({
      bom: true,
      // Field count is checked per row, so one short row rejects that row
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  // An unreadable source (network, gunzip) fails the parse the same way
  input.on('error', error => parser.destroy(error));

  let header: Header | undefined;
  let currency: { code: string; line: number } | undefined;
  const occurrences = new Map<number, number>();
  const maxStart =
    Math.floor(options.now.getTime() / DAY_MS) * DAY_MS + 2 * DAY_MS;
  // Lines as an editor shows them. info.lines counts a CRLF inside a quoted
  // field as two lines (csv-parse 6), so a record's own line breaks are
  // counted here, and csv-parse's count only used for the blank lines
  // skipped.
  let previousEnd = 0;
  let parserLines = 0;
  let parserEmpty = 0;
  let overcount = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      const blank = info.empty_lines - parserEmpty;
      const parserSpan = info.lines - parserLines - blank;
      const line = previousEnd + 1 + blank;
      const span = parserSpan > 1 ? 1 + lineBreaks(record) : 1;
      previousEnd = line + span - 1;
      overcount += parserSpan - span;
      parserLines = info.lines;
      parserEmpty = info.empty_lines;

      if (!header) {
        header = readHeader(record, options.costColumn, refuseFile);
        continue;
      }
      const row = toRow(record, header, maxStart);
      if ('reason' in row) {
        reject(line, row.reason);
        continue;
      }
      if (!currency) {
        currency = { code: row.currency, line };
      } else if (row.currency !== currency.code) {
        refuseFile(
          line,
          `BillingCurrency ${row.currency} differs from ${currency.code} on line ${currency.line}; a file holds one currency`,
        );
      }
      const allocation = options.allocator.allocate(row.allocation, message => {
        result.warningCount += 1;
        if (result.firstWarnings.length < 5) {
          result.firstWarnings.push({ line, reason: message });
        }
      });
      result.acceptedCount += 1;
      yield {
        rowKey: rowKey(header, record, occurrences),
        chargeDate: row.chargeDate,
        entityRef: allocation.entityRef,
        costCenter: allocation.costCenter,
        chargeCategory: row.chargeCategory,
        serviceName: row.serviceName,
        resourceId: row.resourceId,
        amount: row.amount,
        currency: row.currency,
      };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      refuseFile(
        line === undefined ? previousEnd + 1 : line - overcount,
        `not valid CSV: ${csvReason(error)}`,
      );
    }
    throw error;
  } finally {
    parser.destroy();
  }

  if (!header) {
    refuseFile(1, 'the file is empty, expected a FOCUS header row');
  }
  if (result.acceptedCount === 0 && result.rejectedCount > 0) {
    throw new FocusFileRejectedError(result.rejected, result.rejectedCount);
  }
}

type Header = {
  names: string[];
  /** Column indexes by name, for the columns read. */
  index: Map<string, number>;
  costColumn: CostColumn;
  /** Column indexes in column-name order, for the row key. */
  keyOrder: number[];
};

function readHeader(
  record: string[],
  costColumn: CostColumn,
  refuseFile: (line: number, reason: string) => never,
): Header {
  const names = record.map(f => f.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!index.has(name)) {
      index.set(name, i);
    }
  });
  const missing = [...REQUIRED_COLUMNS, costColumn].filter(c => !index.has(c));
  if (missing.length > 0) {
    refuseFile(1, `not a FOCUS export, the header lacks ${missing.join(', ')}`);
  }
  // Code unit order, not locale order: keys must not depend on the ICU build
  const keyOrder = names
    .map((name, i) => ({ name, i }))
    .sort((a, b) => {
      if (a.name === b.name) {
        return a.i - b.i;
      }
      return a.name < b.name ? -1 : 1;
    })
    .map(c => c.i);
  return { names, index, costColumn, keyOrder };
}

type Row = {
  chargeDate: string;
  amount: string;
  currency: string;
  chargeCategory: string | null;
  serviceName: string | null;
  resourceId: string | null;
  allocation: { tags: Map<string, string>; resourceIds: string[] };
};

function toRow(
  fields: string[],
  header: Header,
  maxStart: number,
): Row | { reason: string } {
  if (fields.length !== header.names.length) {
    return {
      reason: `has ${fields.length} fields, the header has ${header.names.length}`,
    };
  }
  const get = (column: string): string | undefined => {
    const i = header.index.get(column);
    const value = i === undefined ? undefined : fields[i].trim();
    return value === '' ? undefined : value;
  };

  const startValue = get('ChargePeriodStart');
  const start = parseTimestamp(startValue);
  if (!start) {
    return {
      reason: startValue
        ? `ChargePeriodStart '${startValue}' is not an ISO 8601 date-time`
        : 'ChargePeriodStart is empty',
    };
  }
  if (start < EARLIEST_CHARGE || start >= maxStart) {
    return {
      reason: `ChargePeriodStart '${startValue}' is out of range (2000-01-01 to tomorrow)`,
    };
  }
  const endValue = get('ChargePeriodEnd');
  if (endValue !== undefined) {
    const end = parseTimestamp(endValue);
    if (!end) {
      return {
        reason: `ChargePeriodEnd '${endValue}' is not an ISO 8601 date-time`,
      };
    }
    if (end < start) {
      return { reason: 'ChargePeriodEnd is before ChargePeriodStart' };
    }
  }

  const { costColumn } = header;
  const amount = get(costColumn);
  if (amount === undefined) {
    return { reason: `${costColumn} is empty` };
  }
  if (!DECIMAL.test(amount) || !(Math.abs(Number(amount)) < MAX_ABS_AMOUNT)) {
    return { reason: `${costColumn} '${amount}' is not a number` };
  }

  const currency = get('BillingCurrency')?.toUpperCase();
  if (!currency || !CURRENCY.test(currency)) {
    return {
      reason: `BillingCurrency '${currency ?? ''}' is not an ISO 4217 code`,
    };
  }

  const tags = parseTags(get('Tags'));
  if (!tags) {
    return { reason: 'Tags is not a JSON object' };
  }
  // FOCUS 1.3 split cost allocation: the allocated resource and its tags
  // say more about who consumed the cost than the shared resource does
  const allocatedTags = parseTags(get('AllocatedTags'));
  if (!allocatedTags) {
    return { reason: 'AllocatedTags is not a JSON object' };
  }
  for (const [key, value] of allocatedTags) {
    tags.set(key, value);
  }
  const resourceId = get('ResourceId') ?? null;
  const resourceIds = [get('AllocatedResourceId'), resourceId].filter(
    (id): id is string => Boolean(id),
  );

  return {
    chargeDate: new Date(start).toISOString().slice(0, 10),
    amount,
    currency,
    chargeCategory: get('ChargeCategory') ?? null,
    serviceName: get('ServiceName') ?? null,
    resourceId,
    allocation: { tags, resourceIds },
  };
}

// FOCUS writes UTC ISO 8601 ('2026-11-01T00:00:00Z'); some exporters write
// SQL style ('2026-11-01 00:00:00') or a bare date. No offset means UTC.
// The common shapes are parsed by hand: luxon took about 12 µs a row for
// the two columns against 3 µs, a seventh of a row's ingestion; anything
// else goes to luxon.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds, or undefined when not a valid date-time. */
function parseTimestamp(value: string | undefined): number | undefined {
  if (!value) {
    return undefined;
  }
  const match = TIMESTAMP.exec(value);
  if (match) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', zone] = match;
    const [year, month, day] = [Number(y), Number(mo), Number(d)];
    const ms = Date.UTC(
      year,
      month - 1,
      day,
      Number(h),
      Number(mi),
      Number(sec),
    );
    const date = new Date(ms);
    if (
      date.getUTCMonth() !== month - 1 ||
      date.getUTCDate() !== day ||
      Number(h) > 23 ||
      Number(mi) > 59 ||
      Number(sec) > 59
    ) {
      return undefined;
    }
    return ms - offsetMinutes(zone) * 60_000;
  }
  const iso = DateTime.fromISO(value, { zone: 'utc' });
  if (iso.isValid) {
    return iso.toMillis();
  }
  const sql = DateTime.fromSQL(value, { zone: 'utc' });
  return sql.isValid ? sql.toMillis() : undefined;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') {
    return 0;
  }
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits[0] === '-' ? -minutes : minutes;
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

// Identical rows in one file are distinct charges, so the occurrence is part
// of the key; the same row in another file of the source is the same charge.
// Sorted by column name: the same row in another column order is the same
// charge. Occurrences are counted by a 32-bit prefix of the content hash so
// a million-row file costs tens of MB here, not its full hashes: a prefix collision
// only numbers a distinct row as a repeat, which still gives it a unique,
// stable key.
function rowKey(
  header: Header,
  fields: string[],
  occurrences: Map<number, number>,
): string {
  const content = JSON.stringify(
    header.keyOrder.map(i => [header.names[i], fields[i]]),
  );
  const digest = createHash('sha256').update(content).digest();
  const prefix = digest.readUInt32BE(0);
  const occurrence = occurrences.get(prefix) ?? 0;
  occurrences.set(prefix, occurrence + 1);
  return createHash('sha256')
    .update(`${digest.toString('hex')}#${occurrence}`)
    .digest('hex');
}

function lineBreaks(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    count += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return count;
}

// csv-parse messages end in position details the line already gives
function csvReason(error: CsvError): string {
  return error.message.replace(/\s+at line \d+.*$/s, '').trim();
}
