import { CustomErrorBase } from '@backstage/errors';

/** One CSV record and the physical line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** The input is not RFC 4180 CSV; `line` is where the problem is. */
export class CsvSyntaxError extends CustomErrorBase {
  name = 'CsvSyntaxError' as const;

  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

/**
 * Incremental RFC 4180 parser: comma separated, fields optionally quoted
 * with `"`, `""` for a quote inside a quoted field, records ended by CRLF
 * (LF or a lone CR are accepted too). Chunks may split records, quotes and
 * CRLF pairs anywhere, so billing exports can be streamed instead of loaded.
 * A leading byte order mark is dropped and blank lines are skipped.
 */
export class CsvParser {
  #state: State = 'fieldStart';
  #field = '';
  #fields: string[] = [];
  #line = 1;
  #recordLine = 1;
  #afterCR = false;
  #atStart = true;

  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    for (const c of chunk) {
      if (this.#atStart) {
        this.#atStart = false;
        if (c === '\uFEFF') {
          continue;
        }
      }

      const afterCR = this.#afterCR;
      this.#afterCR = false;
      if (c === '\n' && afterCR) {
        // Second half of a CRLF: the CR already counted the line and, outside
        // quotes, ended the record.
        if (this.#state === 'quoted') {
          this.#field += c;
        }
        continue;
      }
      const isNewline = c === '\r' || c === '\n';
      if (isNewline) {
        this.#line += 1;
        this.#afterCR = c === '\r';
      }

      switch (this.#state) {
        case 'fieldStart':
          if (c === '"') {
            this.#state = 'quoted';
          } else if (c === ',') {
            this.#fields.push('');
          } else if (isNewline) {
            this.#endRecord(records);
          } else {
            this.#field = c;
            this.#state = 'unquoted';
          }
          break;
        case 'unquoted':
          if (c === ',') {
            this.#endField();
          } else if (isNewline) {
            this.#endRecord(records);
          } else if (c === '"') {
            throw new CsvSyntaxError(
              this.#line,
              'a quote inside an unquoted field; quote the whole field and double the quote',
            );
          } else {
            this.#field += c;
          }
          break;
        case 'quoted':
          if (c === '"') {
            this.#state = 'quoteInQuoted';
          } else {
            this.#field += c;
          }
          break;
        case 'quoteInQuoted':
          if (c === '"') {
            this.#field += '"';
            this.#state = 'quoted';
          } else if (c === ',') {
            this.#endField();
          } else if (isNewline) {
            this.#endRecord(records);
          } else {
            throw new CsvSyntaxError(
              this.#line,
              `unexpected '${c}' after a closing quote`,
            );
          }
          break;
        default:
          throw new Error(`unknown CSV parser state ${this.#state}`);
      }
    }
    return records;
  }

  /** Flushes a last record without a trailing newline. */
  end(): CsvRecord[] {
    if (this.#state === 'quoted') {
      throw new CsvSyntaxError(
        this.#recordLine,
        'a quoted field is never closed',
      );
    }
    const records: CsvRecord[] = [];
    if (this.#fields.length > 0 || this.#state !== 'fieldStart') {
      this.#endRecord(records);
    }
    return records;
  }

  #endField() {
    this.#fields.push(this.#field);
    this.#field = '';
    this.#state = 'fieldStart';
  }

  #endRecord(records: CsvRecord[]) {
    this.#endField();
    const fields = this.#fields;
    if (!(fields.length === 1 && fields[0] === '')) {
      records.push({ line: this.#recordLine, fields });
    }
    this.#fields = [];
    // #line already points past the newline that ended this record
    this.#recordLine = this.#line;
  }
}

/** Parses a whole CSV document. */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/** Streams records out of text chunks, e.g. a file stream with an encoding. */
export async function* readCsvRecords(
  chunks: AsyncIterable<string>,
): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  for await (const chunk of chunks) {
    yield* parser.push(chunk);
  }
  yield* parser.end();
}
