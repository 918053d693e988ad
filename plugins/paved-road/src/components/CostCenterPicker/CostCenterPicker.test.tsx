import {
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { ORG } from '../../__fixtures__/org';
import { CostCenterPicker } from './CostCenterPicker';
import { costCenterPickerValidation } from './validation';
import { CostCenterPickerUiOptions } from './owner';

type Props = Parameters<typeof CostCenterPicker>[0];

// A fresh catalog client per test: the group cache is per client.
const newCatalog = () =>
  catalogApiMock.mock({
    getEntities: jest.fn(async () => ({ items: ORG })),
  });

/** The field as the scaffolder renders it: formData owned by the form. */
function Field(props: {
  formData: Record<string, unknown>;
  uiOptions?: CostCenterPickerUiOptions;
  onChange: (value: string | undefined) => void;
}) {
  const [value, setValue] = useState<string | undefined>(
    props.formData.costCenter as string | undefined,
  );
  const fieldProps = {
    formData: value,
    onChange: (v: string | undefined) => {
      setValue(v);
      props.onChange(v);
    },
    schema: { type: 'string', title: 'Cost center' },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    rawErrors: [],
    required: true,
    idSchema: { $id: 'root_costCenter' },
    formContext: { formData: { ...props.formData, costCenter: value } },
  } as unknown as Props;
  return <CostCenterPicker {...fieldProps} />;
}

async function renderField(
  formData: Record<string, unknown>,
  uiOptions?: CostCenterPickerUiOptions,
  catalogApi = newCatalog(),
) {
  const onChange = jest.fn();
  const view = await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <Field formData={formData} uiOptions={uiOptions} onChange={onChange} />
    </TestApiProvider>,
  );
  return { onChange, catalogApi, view };
}

const optionsOf = () =>
  screen
    .getAllByRole('option')
    .map(o => [(o as HTMLOptionElement).value, o.textContent]);

describe('CostCenterPicker', () => {
  it("offers the owner's business-unit cost centers and preselects the default", async () => {
    const { onChange } = await renderField({ owner: 'group:default/checkout' });

    expect(
      await screen.findByText('Business unit: Payments'),
    ).toBeInTheDocument();
    expect(optionsOf()).toEqual([
      ['CC-1001', 'CC-1001 (default)'],
      ['CC-1002', 'CC-1002'],
    ]);
    expect(onChange).toHaveBeenCalledWith('CC-1001');
    expect(screen.getByLabelText(/Cost center/)).toHaveValue('CC-1001');

    await userEvent.selectOptions(
      screen.getByLabelText(/Cost center/),
      'CC-1002',
    );
    expect(onChange).toHaveBeenLastCalledWith('CC-1002');
    expect(screen.getByLabelText(/Cost center/)).toHaveValue('CC-1002');
  });

  it('keeps a valid value the form already had', async () => {
    const { onChange } = await renderField({
      owner: 'group:default/checkout',
      costCenter: 'CC-1002',
    });
    await screen.findByText('Business unit: Payments');
    expect(screen.getByLabelText(/Cost center/)).toHaveValue('CC-1002');
    expect(onChange).not.toHaveBeenCalled();
  });

  it("replaces a value of another unit with the owner's default", async () => {
    const { onChange } = await renderField({
      owner: 'fleet',
      costCenter: 'CC-1002',
    });
    await screen.findByText('Business unit: Logistics');
    expect(onChange).toHaveBeenCalledWith('CC-2001');
  });

  it('reads the owner from the configured field', async () => {
    await renderField(
      {
        owner: 'group:default/checkout',
        team: { owner: 'group:default/fleet' },
      },
      { ownerField: 'team.owner' },
    );
    expect(
      await screen.findByText('Business unit: Logistics'),
    ).toBeInTheDocument();
  });

  it('asks for the owner first', async () => {
    const { onChange } = await renderField({}, { ownerField: 'team' });
    expect(
      await screen.findByText('Choose the owner (team) first'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Cost center/)).toBeDisabled();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('explains an owner without a business unit', async () => {
    await renderField({ owner: 'group:default/skunkworks' });
    expect(
      await screen.findByText(/has no business unit above it/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Cost center/)).toBeDisabled();
  });

  it('loads the organisation once per catalog client', async () => {
    const catalogApi = newCatalog();
    await renderField({ owner: 'checkout' }, undefined, catalogApi);
    await screen.findByText('Business unit: Payments');
    await renderField({ owner: 'fleet' }, undefined, catalogApi);
    await screen.findByText('Business unit: Logistics');
    expect(catalogApi.getEntities).toHaveBeenCalledTimes(1);
    expect(catalogApi.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'Group' } }),
    );
  });
});

describe('costCenterPickerValidation', () => {
  async function validate(
    value: string,
    formData: Record<string, unknown>,
    options: { uiOptions?: CostCenterPickerUiOptions } = {},
  ) {
    const errors: string[] = [];
    const apiHolder = TestApiRegistry.from([catalogApiRef, newCatalog()]);
    await costCenterPickerValidation(
      value,
      { addError: (e: string) => errors.push(e) } as any,
      {
        apiHolder,
        formData: formData as any,
        schema: { title: 'Cost center' },
        uiSchema: { 'ui:options': options.uiOptions ?? {} } as any,
      },
    );
    return errors;
  }

  it("accepts a cost center of the owner's business unit", async () => {
    expect(
      await validate('CC-1002', { owner: 'group:default/checkout' }),
    ).toEqual([]);
  });

  it('names the field and the valid values for a cost center of another unit', async () => {
    expect(
      await validate('CC-2001', { owner: 'group:default/checkout' }),
    ).toEqual([
      'Cost center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
    ]);
  });

  it('reports a malformed value and an unknown owner', async () => {
    expect(await validate('CC-1', { owner: 'checkout' })).toEqual([
      expect.stringMatching(
        /^Cost center: Cost center "CC-1" does not match the format/,
      ),
    ]);
    expect(await validate('CC-1001', { owner: 'ghosts' })).toEqual([
      'Cost center: Owner group:default/ghosts is not a Group in the catalog',
    ]);
  });

  it('needs the owner, read from the configured field', async () => {
    expect(
      await validate(
        'CC-1001',
        { owner: 'checkout' },
        { uiOptions: { ownerField: 'team' } },
      ),
    ).toEqual([
      'Cost center: choose the owner (team) first; cost centers depend on its business unit',
    ]);
  });

  it('uses a configured cost-center format', async () => {
    expect(
      await validate(
        'CC-1001',
        { owner: 'checkout' },
        { uiOptions: { costCenterPattern: 'FIN-\\d+' } },
      ),
    ).toEqual([
      expect.stringContaining('does not match the format ^(?:FIN-\\d+)$'),
    ]);
  });

  it('leaves an empty optional value to the schema', async () => {
    expect(await validate('', { owner: 'checkout' })).toEqual([]);
  });
});
