import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  TemplateHealthDetails,
  TemplateHealthListResponse,
  TemplateReport,
  TemplateReportRequest,
} from '@paved-road/plugin-templates-common';

/**
 * The templates backend (`/api/templates`): template health now, project
 * upgrades and fleets as they land.
 *
 * @public
 */
export interface TemplatesApi {
  /** Every template with its verdict and figures. */
  listTemplateHealth(): Promise<TemplateHealthListResponse>;
  /** One template: per-version figures, failing steps, reports and checks. */
  getTemplateHealth(
    templateRef: Omit<CompoundEntityRef, 'kind'>,
  ): Promise<TemplateHealthDetails>;
  /** Report a problem with a template as the signed-in user. */
  reportTemplateProblem(
    request: TemplateReportRequest,
  ): Promise<TemplateReport>;
}

/** @public */
export const templatesApiRef = createApiRef<TemplatesApi>({
  id: 'plugin.templates.api',
});
