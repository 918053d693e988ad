import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Budget,
  BudgetChange,
  BudgetReport,
  BudgetScope,
  costsBudgetUpdatePermission,
} from '@paved-road/plugin-costs-common';
import {
  AuditEventInput,
  AuditOutcome,
  isValidCostCenter,
} from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DatabaseDimensionsStore } from '../dimensions/DatabaseDimensionsStore';
import { DatabaseRollupStore } from '../rollups/DatabaseRollupStore';
import { DatabaseBudgetStore } from './DatabaseBudgetStore';
import { buildBudgetReport, monthOf } from './forecast';

/** Where audit events go: into the outbox, inside the change's transaction. */
export interface AuditQueue {
  enqueue(trx: Knex | Knex.Transaction, event: AuditEventInput): Promise<void>;
}

export const BUDGET_SCOPES: readonly BudgetScope[] = [
  'cost-center',
  'business-unit',
];

const setBudgetSchema = z.object({
  amount: z.number().finite().positive().max(1e12),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR'),
  message: z.string().trim().max(500).optional(),
});

/** A budget's scope and key from the path, validated. */
export function parseBudgetTarget(
  scope: string,
  key: string,
): { scope: BudgetScope; key: string } {
  if (!BUDGET_SCOPES.includes(scope as BudgetScope)) {
    throw new InputError(`scope must be one of ${BUDGET_SCOPES.join(', ')}`);
  }
  if (scope === 'cost-center') {
    if (!isValidCostCenter(key)) {
      throw new InputError(`key '${key}' is not a cost center like CC-1001`);
    }
    return { scope, key };
  }
  try {
    const ref = parseEntityRef(key);
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new Error('not a group');
    }
    return {
      scope: 'business-unit',
      key: stringifyEntityRef(ref).toLocaleLowerCase('en-US'),
    };
  } catch {
    throw new InputError(
      `key '${key}' is not a Group entity ref like group:default/payments`,
    );
  }
}

/**
 * Budgets per cost center or business unit: their month-to-date, forecast
 * and status, and changes to them (permission-checked and audited).
 */
export class BudgetService {
  constructor(
    private readonly options: {
      budgets: DatabaseBudgetStore;
      rollups: DatabaseRollupStore;
      dimensions: DatabaseDimensionsStore;
      permissions: PermissionsService;
      audit: AuditQueue;
      defaultCurrency: string;
      atRiskRatio: number;
      now: () => Date;
    },
  ) {}

  /** Every budget, and every cost center the catalog knows without one. */
  async listReports(): Promise<BudgetReport[]> {
    const { budgets, dimensions } = this.options;
    const [all, costCenters, daily] = await Promise.all([
      budgets.listBudgets(),
      dimensions.listCostCenters(),
      this.monthToDate(),
    ]);
    const targets = new Map<string, { scope: BudgetScope; key: string }>();
    for (const budget of all) {
      targets.set(`${budget.scope}|${budget.key}`, budget);
    }
    for (const { costCenter } of costCenters) {
      targets.set(`cost-center|${costCenter}`, {
        scope: 'cost-center',
        key: costCenter,
      });
    }
    const byTarget = new Map(all.map(b => [`${b.scope}|${b.key}`, b]));
    return [...targets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, { scope, key }]) =>
        this.report(scope, key, byTarget.get(id), daily.get(id)),
      );
  }

  /** One cost center's or business unit's report, budget or not. */
  async getReport(scope: BudgetScope, key: string): Promise<BudgetReport> {
    const [budget, daily] = await Promise.all([
      this.options.budgets.getBudget(scope, key),
      this.monthToDate({ scope, key }),
    ]);
    return this.report(scope, key, budget, daily.get(`${scope}|${key}`));
  }

  async history(scope: BudgetScope, key: string): Promise<BudgetChange[]> {
    return this.options.budgets.history(scope, key);
  }

  /**
   * Sets a budget for those allowed `costs.budget.update` on the business
   * unit that owns it. Granted or denied, the attempt is audited.
   */
  async setBudget(options: {
    scope: BudgetScope;
    key: string;
    body: unknown;
    credentials: BackstageCredentials<BackstageUserPrincipal>;
  }): Promise<Budget> {
    const { scope, key, credentials } = options;
    const { budgets, permissions, audit } = this.options;
    const parsed = setBudgetSchema.safeParse(options.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `${issue.path.join('.') || 'body'}: ${issue.message}`,
      );
    }
    const { amount, currency } = parsed.data;
    const message = parsed.data.message || null;
    const businessUnit = await this.owningBusinessUnit(scope, key);
    const actor = credentials.principal.userEntityRef;
    const label = `${scope} ${key}`;

    const [decision] = await permissions.authorize(
      [{ permission: costsBudgetUpdatePermission, resourceRef: businessUnit }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await budgets.withTransaction(trx =>
        audit.enqueue(
          trx,
          budgetEvent({
            outcome: 'denied',
            actor,
            scope,
            key,
            businessUnit,
            summary: `Not allowed to set the budget of ${label} to ${amount} ${currency}`,
            details: { amount, currency, message },
          }),
        ),
      );
      throw new NotAllowedError(`You may not update the budget of ${label}`);
    }

    return budgets.setBudget({
      scope,
      key,
      amount,
      currency,
      message,
      actor,
      inTransaction: (trx, { before, after }) =>
        audit.enqueue(
          trx,
          budgetEvent({
            outcome: 'succeeded',
            actor,
            scope,
            key,
            businessUnit,
            summary: `Budget of ${label} ${
              before ? `${before.amount} ${before.currency} → ` : ''
            }${after.amount} ${after.currency}${message ? `: ${message}` : ''}`,
            details: {
              before: before
                ? { amount: before.amount, currency: before.currency }
                : null,
              after: { amount: after.amount, currency: after.currency },
              message,
            },
          }),
        ),
    });
  }

  /** The Group ref a policy decides on: the unit, or the cost center's unit. */
  async owningBusinessUnit(scope: BudgetScope, key: string): Promise<string> {
    const { dimensions } = this.options;
    if (scope === 'cost-center') {
      const unit = await dimensions.getCostCenterBusinessUnit(key);
      if (!unit) {
        throw new NotFoundError(
          `No business unit in the catalog lists the cost center ${key}`,
        );
      }
      return unit;
    }
    const group = await dimensions.getEntity(key);
    if (!group || group.businessUnitRef !== key) {
      throw new NotFoundError(`${key} is not a business unit in the catalog`);
    }
    return key;
  }

  private report(
    scope: BudgetScope,
    key: string,
    budget: Budget | undefined,
    monthToDate: Map<string, number> | undefined,
  ): BudgetReport {
    return buildBudgetReport({
      scope,
      key,
      budget,
      monthToDate: monthToDate ?? new Map(),
      now: this.options.now(),
      defaultCurrency: this.options.defaultCurrency,
      atRiskRatio: this.options.atRiskRatio,
    });
  }

  /** Month-to-date per `scope|key` and currency: two aggregate queries. */
  private async monthToDate(only?: { scope: BudgetScope; key: string }) {
    const month = monthOf(this.options.now());
    const range = { from: month.from, to: month.today };
    const scopes = only ? [only.scope] : BUDGET_SCOPES;
    const result = new Map<string, Map<string, number>>();
    for (const scope of scopes) {
      const rows = await this.options.rollups.dailyByScope({
        groupBy: scope,
        range,
        key: only?.key,
      });
      for (const row of rows) {
        const id = `${scope}|${row.key}`;
        const sums = result.get(id) ?? new Map<string, number>();
        sums.set(row.currency, (sums.get(row.currency) ?? 0) + row.amount);
        result.set(id, sums);
      }
    }
    return result;
  }
}

function budgetEvent(options: {
  outcome: AuditOutcome;
  actor: string;
  scope: BudgetScope;
  key: string;
  businessUnit: string;
  summary: string;
  details: Record<string, unknown>;
}): AuditEventInput {
  return {
    id: randomUUID(),
    action: 'budget.changed',
    outcome: options.outcome,
    actor: options.actor,
    occurredAt: DateTime.utc().toISO()!,
    entityRef: options.businessUnit,
    owner: options.businessUnit,
    businessUnit: options.businessUnit,
    costCenter: options.scope === 'cost-center' ? options.key : null,
    summary: options.summary.slice(0, 1000),
    details: { scope: options.scope, key: options.key, ...options.details },
  };
}
