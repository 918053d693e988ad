import { styleText } from 'node:util';

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan';

/**
 * Where a command writes. With `--output json` stdout carries exactly one
 * JSON document and everything else (progress, notes) goes to stderr, so
 * `paved-road … --output json | jq` always parses.
 */
export class Output {
  constructor(
    readonly format: OutputFormat,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  get json(): boolean {
    return this.format === 'json';
  }

  /** Whether someone can answer a question: stdin and stderr are terminals. */
  get interactive(): boolean {
    return Boolean(process.stdin.isTTY && this.stderr.isTTY);
  }

  /** Whether progress lines can be redrawn in place. */
  get live(): boolean {
    return Boolean(this.progressStream.isTTY);
  }

  /** The result document of a `--output json` run. */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A line of the human-readable result (nothing in JSON mode). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** Progress of a running task or deployment: stdout, or stderr in JSON mode. */
  progress(text: string): void {
    this.progressStream.write(`${text}\n`);
  }

  /** Redraws the last progress line when on a terminal; a new line otherwise. */
  replaceProgress(text: string): void {
    if (this.live) {
      this.progressStream.write(`\x1b[1A\x1b[2K${text}\n`);
    } else {
      this.progress(text);
    }
  }

  /** A note or warning for the person, never part of the result. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  style(format: Style, text: string): string {
    return styleText(format, text, { stream: this.stdout });
  }

  styleProgress(format: Style, text: string): string {
    return styleText(format, text, { stream: this.progressStream });
  }

  styleError(format: Style, text: string): string {
    return styleText(format, text, { stream: this.stderr });
  }

  /** Columns padded to their widest cell; the last column is not padded. */
  table(headers: string[], rows: Array<Array<string | number | null>>): void {
    if (this.json) return;
    if (rows.length === 0) {
      this.line(this.style('dim', '(none)'));
      return;
    }
    const cells = rows.map(row =>
      row.map(value => (value === null ? '' : String(value))),
    );
    const widths = headers.map((h, i) =>
      Math.max(h.length, ...cells.map(r => (r[i] ?? '').length)),
    );
    const render = (row: string[]) =>
      row
        .map((text, i) =>
          i === row.length - 1 ? text : text.padEnd(widths[i]),
        )
        .join('  ')
        .trimEnd();
    this.line(this.style('bold', render(headers)));
    for (const row of cells) this.line(render(row));
  }

  /** `label  value` pairs, labels aligned. */
  fields(pairs: Array<[string, string | number | null | undefined]>): void {
    const width = Math.max(...pairs.map(([label]) => label.length));
    for (const [label, value] of pairs) {
      this.line(
        `${this.style('bold', label.padEnd(width))}  ${
          value === null || value === undefined || value === '' ? '-' : value
        }`,
      );
    }
  }

  private get progressStream(): NodeJS.WriteStream {
    return this.json ? this.stderr : this.stdout;
  }
}

/** `1234.5` in `EUR` → `1,234.50 EUR`. */
export function money(amount: number | null | undefined, currency: string) {
  if (amount === null || amount === undefined) return '-';
  return `${amount.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })} ${currency}`;
}

/** ISO time → `2026-01-31 14:05` (UTC), short enough for a table. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** Seconds → `0.4s`, `42s`, `3m 05s`, `1h 02m`. */
export function duration(seconds: number): string {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600)
    return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(
    Math.floor((s % 3600) / 60),
  ).padStart(2, '0')}m`;
}

/** Time between two ISO instants (the second defaults to now), as {@link duration}. */
export function elapsed(from: string, to?: string | null): string {
  const end = to ? Date.parse(to) : Date.now();
  return duration((end - Date.parse(from)) / 1000);
}

/** A value for a one-line table cell. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Cuts text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
