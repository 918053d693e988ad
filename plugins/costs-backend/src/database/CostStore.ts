/** One billing export row, validated and allocated, ready to store. */
export interface CostLineItem {
  /** sha256 of the row's content (and its occurrence in the file). */
  rowKey: string;
  /** UTC day of ChargePeriodStart, `YYYY-MM-DD`. */
  chargeDate: string;
  /** Lowercase entity ref from the service tag; null when unallocated. */
  entityRef: string | null;
  costCenter: string | null;
  chargeCategory: string | null;
  serviceName: string | null;
  resourceId: string | null;
  /** Decimal string exactly as exported, so no precision is lost on the way. */
  amount: string;
  /** ISO 4217 code. */
  currency: string;
}

/** A row (or, at line 1, the header) that was not stored, and why. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** How a version of a file ended. */
export interface FileOutcome {
  /** sha256 of the file's bytes as read (compressed, for `.gz`). */
  fileSha256: string;
  /** Etag from the UrlReaderService; null for local files. */
  etag: string | null;
  rejectedCount: number;
  /** The first rejected rows (capped by the reader). */
  rejected: RejectedRow[];
}

/** What is known about a file seen before. */
export interface IngestedFile {
  sourceId: string;
  filePath: string;
  fileSha256: string;
  etag: string | null;
  /**
   * `ingested`: this version's rows are stored; `rejected`: this version was
   * refused whole and the rows of the version before (if any) stay.
   */
  status: 'ingested' | 'rejected';
  /** Rows stored for the file now. */
  rowCount: number;
  rejectedCount: number;
  rejected: RejectedRow[];
  /**
   * When the rows stored for the file were ingested; for a file never
   * ingested, when it was first seen.
   */
  ingestedAt: Date;
  /**
   * When a run last found the file unchanged or rejected it, if one did
   * since it was ingested.
   */
  checkedAt: Date | undefined;
}

/** The sum of one entity's charges on one day in one currency. */
export interface DailyCostSum {
  date: string;
  currency: string;
  amount: number;
}

/** Storage of ingested billing data. */
export interface CostStore {
  getIngestedFile(options: {
    sourceId: string;
    filePath: string;
  }): Promise<IngestedFile | undefined>;

  /**
   * Replaces everything stored for one file by `items`, in one transaction:
   * if reading `items` throws, the previous rows stay untouched. A row whose
   * key is already stored for the source (the same charge delivered in
   * another file) is kept once. `outcome` is read once `items` is done.
   */
  replaceFile(options: {
    sourceId: string;
    filePath: string;
    items: Iterable<CostLineItem> | AsyncIterable<CostLineItem>;
    outcome: () => FileOutcome;
  }): Promise<{ rowCount: number }>;

  /**
   * Records that a version of the file was refused whole; its rows, if any
   * were stored from an earlier version, stay.
   */
  recordRejectedFile(options: {
    sourceId: string;
    filePath: string;
    outcome: FileOutcome;
  }): Promise<void>;

  /** Records that a run found the stored version unchanged. */
  markUnchanged(options: { sourceId: string; filePath: string }): Promise<void>;

  /** Every file seen, by source and path. */
  listIngestedFiles(): Promise<IngestedFile[]>;

  /** Daily sums for an entity between two days, both inclusive. */
  getDailyCosts(options: {
    entityRef: string;
    from: string;
    to: string;
  }): Promise<DailyCostSum[]>;

  /** When any file was last ingested, or undefined if none ever was. */
  getLastIngestedAt(): Promise<Date | undefined>;
}
