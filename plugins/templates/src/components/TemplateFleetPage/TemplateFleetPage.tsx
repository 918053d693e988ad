import { stringifyEntityRef } from '@backstage/catalog-model';
import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage } from '../../lib/errors';
import { FleetPanel } from './FleetPanel';

/**
 * The template fleet for platform engineers: pick a template from the
 * catalog (`?template=<namespace>/<name>`), see which of its projects are
 * on which version, and upgrade the ones you pick in one batch.
 */
export function TemplateFleetPage() {
  const catalogApi = useApi(catalogApiRef);
  const [params, setParams] = useSearchParams();
  const templates = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'template' },
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
    });
    return items
      .map(entity => ({
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
        title: entity.metadata.title ?? entity.metadata.name,
        ref: stringifyEntityRef(entity),
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi]);

  const chosen = params.get('template');
  const current =
    templates.value?.find(t => `${t.namespace}/${t.name}` === chosen) ??
    templates.value?.[0];

  return (
    <Page themeId="tool">
      <Header
        title="Template fleet"
        subtitle="Which projects are on which template version, and upgrades for them"
      />
      <Content>
        {templates.loading && <Progress />}
        {templates.error && (
          <Alert severity="error">
            Could not list the templates: {errorMessage(templates.error)}
          </Alert>
        )}
        {templates.value?.length === 0 && (
          <Alert severity="info">The catalog has no templates.</Alert>
        )}
        {current && (
          <>
            <TextField
              select
              label="Template"
              value={`${current.namespace}/${current.name}`}
              onChange={event =>
                setParams({ template: event.target.value }, { replace: true })
              }
              variant="outlined"
              size="small"
              style={{ minWidth: 320, marginBottom: 16 }}
            >
              {templates.value!.map(t => (
                <MenuItem key={t.ref} value={`${t.namespace}/${t.name}`}>
                  {t.title}
                </MenuItem>
              ))}
            </TextField>
            <FleetPanel
              key={current.ref}
              template={{ namespace: current.namespace, name: current.name }}
            />
          </>
        )}
      </Content>
    </Page>
  );
}
