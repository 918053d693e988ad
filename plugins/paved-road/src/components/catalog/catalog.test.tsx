import { Entity } from '@backstage/catalog-model';
import { CatalogTableRow } from '@backstage/plugin-catalog';
import {
  catalogApiRef,
  entityRouteRef,
  EntityKindFilter,
} from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  MockEntityListContextProvider,
} from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { pavedRoadCatalogColumns } from './columns';
import { EntityBusinessUnitFilter, EntityCostCenterFilter } from './filters';
import { EntityBusinessUnitPicker } from './pickers';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/checkout' },
  };
}

const row = (entity: Entity) =>
  ({ entity, resolved: {} } as unknown as CatalogTableRow);

describe('catalog filters', () => {
  it('filter on the business unit in the catalog query and in the browser', () => {
    const filter = new EntityBusinessUnitFilter(['group:default/payments']);
    expect(filter.getCatalogFilters()).toEqual({
      'metadata.annotations.paved-road.io/business-unit': [
        'group:default/payments',
      ],
    });
    expect(
      filter.filterEntity(
        component({ 'paved-road.io/business-unit': 'Group:default/Payments' }),
      ),
    ).toBe(true);
    expect(
      filter.filterEntity(
        component({ 'paved-road.io/business-unit': 'group:default/logistics' }),
      ),
    ).toBe(false);
    expect(filter.filterEntity(component({}))).toBe(false);
    expect(filter.toQueryValue()).toEqual(['group:default/payments']);
  });

  it('filter on the cost center', () => {
    const filter = new EntityCostCenterFilter(['CC-1001', 'CC-1002']);
    expect(filter.getCatalogFilters()).toEqual({
      'metadata.annotations.paved-road.io/cost-center': ['CC-1001', 'CC-1002'],
    });
    expect(
      filter.filterEntity(
        component({ 'paved-road.io/cost-center': 'CC-1002' }),
      ),
    ).toBe(true);
    expect(
      filter.filterEntity(
        component({ 'paved-road.io/cost-center': 'CC-2001' }),
      ),
    ).toBe(false);
  });

  it('offers the business units in use and sets the filter when one is picked', async () => {
    const updateFilters = jest.fn();
    const catalogApi = catalogApiMock.mock({
      getEntityFacets: jest.fn(async () => ({
        facets: {
          'metadata.annotations.paved-road.io/business-unit': [
            { value: 'group:default/logistics', count: 3 },
            { value: 'group:default/payments', count: 4 },
          ],
        },
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <MockEntityListContextProvider
          value={{
            updateFilters,
            filters: { kind: new EntityKindFilter('component', 'Component') },
          }}
        >
          <EntityBusinessUnitPicker />
        </MockEntityListContextProvider>
      </TestApiProvider>,
    );

    await userEvent.click(
      await screen.findByTestId('businessUnit-picker-expand'),
    );
    expect(screen.getByText('logistics')).toBeInTheDocument();
    await userEvent.click(screen.getByText('payments'));
    await waitFor(() =>
      expect(updateFilters).toHaveBeenLastCalledWith({
        businessUnit: new EntityBusinessUnitFilter(['group:default/payments']),
      }),
    );
    // Offered values are narrowed by the kind already chosen.
    expect(catalogApi.getEntityFacets).toHaveBeenCalledWith({
      facets: ['metadata.annotations.paved-road.io/business-unit'],
      filter: { kind: 'component' },
    });
  });
});

describe('pavedRoadCatalogColumns', () => {
  const context = (entities: Entity[], kind = 'component') =>
    ({
      entities,
      filters: { kind: new EntityKindFilter(kind, kind) },
    } as any);

  it('adds business unit and cost center after the default columns for owned kinds', () => {
    const titles = pavedRoadCatalogColumns(context([component({})])).map(
      c => c.title,
    );
    expect(titles.slice(-2)).toEqual(['Business unit', 'Cost center']);
    expect(titles.length).toBeGreaterThan(2);
  });

  it('leaves kinds Paved Road does not annotate alone', () => {
    const group: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'payments' },
      spec: { type: 'business-unit' },
    };
    const titles = pavedRoadCatalogColumns(context([group], 'group')).map(
      c => c.title,
    );
    expect(titles).not.toContain('Business unit');
    expect(titles).not.toContain('Cost center');
  });

  it('renders, searches and sorts on the annotations', async () => {
    const columns = pavedRoadCatalogColumns(context([component({})]));
    const [bu, cc] = columns.slice(-2);
    const payments = row(
      component({
        'paved-road.io/business-unit': 'group:default/payments',
        'paved-road.io/cost-center': 'CC-1001',
      }),
    );
    const logistics = row(
      component({
        'paved-road.io/business-unit': 'group:default/logistics',
        'paved-road.io/cost-center': 'CC-2001',
      }),
    );
    expect(bu.customFilterAndSearch!('PAYM', payments, bu)).toBe(true);
    expect(bu.customFilterAndSearch!('paym', logistics, bu)).toBe(false);
    expect(cc.customSort!(payments, logistics, 'row')).toBeLessThan(0);

    await renderInTestApp(
      <>
        <div>{bu.render!(payments, 'row')}</div>
        <div>{cc.render!(payments, 'row')}</div>
        <div>{cc.render!(row(component({})), 'row')}</div>
      </>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByRole('link', { name: 'payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(screen.getByText('CC-1001')).toBeInTheDocument();
    expect(screen.getByText('—')).toBeInTheDocument();
  });
});
