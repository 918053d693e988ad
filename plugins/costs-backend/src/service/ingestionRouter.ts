import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { CostStore, IngestedFile, RejectedRow } from '../database/CostStore';

/** One billing export file on the ingestion status view. */
export interface IngestionStatusItem {
  sourceId: string;
  /** Path relative to the source's directory, or the file's URL. */
  file: string;
  /**
   * When the rows stored for the file were ingested (for a file never
   * ingested, when it was first seen), ISO 8601.
   */
  ingestedAt: string;
  /**
   * When a later run last found the file unchanged or rejected it, ISO 8601;
   * null right after an ingestion.
   */
  checkedAt: string | null;
  /** Rows stored for the file now. */
  rowCount: number;
  rejectedCount: number;
  /** The first 100 rejected rows of the current version. */
  rejected: RejectedRow[];
  /**
   * `ingested`: the last run stored this version; `unchanged`: stored by an
   * earlier run and seen again since; `rejected`: refused whole, the rows of
   * the version before (`rowCount`) stay.
   */
  status: 'ingested' | 'rejected' | 'unchanged';
}

/** Body of `GET /api/costs/ingestions`. */
export interface IngestionStatusResponse {
  items: IngestionStatusItem[];
}

/** `GET /ingestions`: what became of every billing export file. */
export async function createIngestionRouter(options: {
  httpAuth: HttpAuthService;
  store: CostStore;
}): Promise<express.Router> {
  const { httpAuth, store } = options;
  const router = Router();

  // File names and row counts, no amounts: any signed-in user may see
  // whether the bills came in
  router.get('/ingestions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const files = await store.listIngestedFiles();
    const body: IngestionStatusResponse = { items: files.map(toItem) };
    res.json(body);
  });

  return router;
}

function toItem(file: IngestedFile): IngestionStatusItem {
  let status: IngestionStatusItem['status'] = file.status;
  if (file.status === 'ingested' && file.checkedAt) {
    status = 'unchanged';
  }
  return {
    sourceId: file.sourceId,
    file: file.filePath,
    ingestedAt: file.ingestedAt.toISOString(),
    checkedAt: file.checkedAt?.toISOString() ?? null,
    rowCount: file.rowCount,
    rejectedCount: file.rejectedCount,
    rejected: file.rejected,
    status,
  };
}
