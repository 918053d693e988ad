import { NotFoundError } from '@backstage/errors';
import { TemplateSource } from '../templates/TemplateSource';
import { LatestTemplate, LatestTemplates } from './UpgradeService';

/** The latest version of a template: what the catalog and its files say now. */
export class SourceLatestTemplates implements LatestTemplates {
  constructor(private readonly source: TemplateSource) {}

  async get(templateRef: string): Promise<LatestTemplate | undefined> {
    try {
      const template = await this.source.load(templateRef);
      return {
        ref: template.ref,
        version: template.version,
        parameters: template.entity.spec?.parameters,
        changelog: template.changelog,
      };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}
