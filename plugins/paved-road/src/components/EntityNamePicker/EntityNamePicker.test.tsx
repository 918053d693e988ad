import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { EntityNamePicker } from './EntityNamePicker';
import { EntityNamePickerUiOptions } from './takenBy';
import { entityNamePickerValidation } from './validation';

type Props = Parameters<typeof EntityNamePicker>[0];

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/checkout' },
  },
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'python-service', namespace: 'default' },
    spec: { owner: 'group:default/payments-core' },
  },
];

/** The field as the scaffolder renders it: formData owned by the form. */
function Field(props: { uiOptions?: EntityNamePickerUiOptions }) {
  const [value, setValue] = useState<string | undefined>();
  const fieldProps = {
    formData: value,
    onChange: setValue,
    schema: { type: 'string', title: 'Name', description: 'Repository name' },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    rawErrors: [],
    required: true,
    idSchema: { $id: 'root_name' },
  } as unknown as Props;
  return <EntityNamePicker {...fieldProps} />;
}

async function renderField(uiOptions?: EntityNamePickerUiOptions) {
  const catalogApi = catalogApiMock({ entities });
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <Field uiOptions={uiOptions} />
    </TestApiProvider>,
  );
  return catalogApi;
}

describe('EntityNamePicker', () => {
  it('says while typing that the catalog already has the name', async () => {
    await renderField();
    await userEvent.type(screen.getByLabelText(/Name/), 'orders-service');
    expect(
      await screen.findByText(
        'component:default/orders-service already exists (owned by group:default/checkout); choose another name',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Name/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  });

  it('shows the description for a free name', async () => {
    await renderField();
    await userEvent.type(screen.getByLabelText(/Name/), 'payments-service');
    expect(await screen.findByText('Repository name')).toBeInTheDocument();
    expect(screen.getByLabelText(/Name/)).toHaveAttribute(
      'aria-invalid',
      'false',
    );
  });

  it('checks the kind given in ui:options', async () => {
    await renderField({ kind: 'Template' });
    await userEvent.type(screen.getByLabelText(/Name/), 'python-service');
    expect(
      await screen.findByText(
        /template:default\/python-service already exists/,
      ),
    ).toBeInTheDocument();
  });
});

describe('entityNamePickerValidation', () => {
  async function validate(
    value: string,
    uiOptions: EntityNamePickerUiOptions = {},
    catalogApi = catalogApiMock({ entities }),
  ) {
    const errors: string[] = [];
    await entityNamePickerValidation(
      value,
      { addError: (e: string) => errors.push(e) } as any,
      {
        apiHolder: TestApiRegistry.from([catalogApiRef, catalogApi]),
        formData: {} as any,
        schema: { title: 'Name' },
        uiSchema: { 'ui:options': uiOptions } as any,
      },
    );
    return errors;
  }

  it('refuses a taken name, naming the field and the entity', async () => {
    expect(await validate('orders-service')).toEqual([
      'Name: component:default/orders-service already exists (owned by group:default/checkout); choose another name',
    ]);
  });

  it('accepts a free name, and the same name of another kind', async () => {
    expect(await validate('payments-service')).toEqual([]);
    expect(await validate('orders-service', { kind: 'Template' })).toEqual([]);
  });

  it('says so when the catalog cannot be asked', async () => {
    const broken = catalogApiMock.mock({
      getEntityByRef: jest.fn().mockRejectedValue(new Error('503')),
    });
    expect(await validate('x-service', {}, broken)).toEqual([
      'Name: could not check the name in the catalog (503)',
    ]);
  });
});
