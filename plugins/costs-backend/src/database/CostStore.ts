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

/** What is known about a file that was ingested before. */
export interface IngestedFile {
  sourceId: string;
  filePath: string;
  fileSha256: string;
  rowCount: number;
  ingestedAt: Date;
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
   * Replaces everything stored for one file by `items`, atomically: if
   * reading `items` throws, the previous rows stay untouched. A row whose
   * key is already stored for the source (the same charge delivered in
   * another file) is kept once.
   */
  replaceFile(options: {
    sourceId: string;
    filePath: string;
    fileSha256: string;
    items: Iterable<CostLineItem> | AsyncIterable<CostLineItem>;
  }): Promise<{ rowCount: number }>;

  /** Daily sums for an entity between two days, both inclusive. */
  getDailyCosts(options: {
    entityRef: string;
    from: string;
    to: string;
  }): Promise<DailyCostSum[]>;

  /** When any file was last ingested, or undefined if none ever was. */
  getLastIngestedAt(): Promise<Date | undefined>;
}
