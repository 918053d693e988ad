import {
  AuthService,
  DiscoveryService,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  AuditEventInput,
  auditEventInputSchema,
} from '@paved-road/plugin-paved-road-common';

/**
 * Records events in Paved Road's one audit trail.
 *
 * @public
 */
export interface PavedRoadAuditService {
  /**
   * Sends one event to `POST /api/paved-road/audit/events` as the calling
   * plugin. Idempotent by `event.id`: sending the same event again stores it
   * once. Throws `InputError` for an invalid event and `ResponseError` when
   * the audit backend refuses it or cannot be reached.
   */
  record(event: AuditEventInput): Promise<void>;
}

// A hung audit backend must not hang the writer: an outbox retries later
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Validates an event the way the audit backend will, so a writer learns of
 * a bad event before it commits the change the event records.
 *
 * @public
 */
export function parseAuditEvent(event: AuditEventInput) {
  const parsed = auditEventInputSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'event';
    throw new InputError(`Invalid audit event ${field}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * {@link PavedRoadAuditService} over HTTP, authenticated with the calling
 * plugin's own service token.
 *
 * @public
 */
export class DefaultPavedRoadAuditService implements PavedRoadAuditService {
  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
  }): DefaultPavedRoadAuditService {
    return new DefaultPavedRoadAuditService(options.discovery, options.auth);
  }

  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async record(event: AuditEventInput): Promise<void> {
    const body = parseAuditEvent(event);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'paved-road',
    });
    const baseUrl = await this.discovery.getBaseUrl('paved-road');
    const response = await fetch(`${baseUrl}/audit/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
  }
}

/**
 * The audit trail as a backend service. Every plugin that depends on it gets
 * a client that writes as that plugin (`plugin:<pluginId>`); the audit
 * backend accepts writers listed in `pavedRoad.audit.writers`.
 *
 * @public
 */
export const pavedRoadAuditServiceRef = createServiceRef<PavedRoadAuditService>(
  {
    id: 'paved-road.audit',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          discovery: coreServices.discovery,
          auth: coreServices.auth,
        },
        factory: ({ discovery, auth }) =>
          DefaultPavedRoadAuditService.create({ discovery, auth }),
      }),
  },
);
