import type { ComponentProps } from 'react';
import { ClipVisibility } from '../../../contract';
import { visibilityLabels } from '../library-labels';
import { SelectField } from './field';

/** The "Who can see it" choice of a clip's visibility. */
export function VisibilityField(props: Omit<ComponentProps<typeof SelectField>, 'label' | 'children'>) {
  return (
    <SelectField label="Who can see it" {...props}>
      {ClipVisibility.options.map((v) => (
        <option key={v} value={v}>
          {visibilityLabels[v]}
        </option>
      ))}
    </SelectField>
  );
}
