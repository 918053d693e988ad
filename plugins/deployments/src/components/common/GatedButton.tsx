import { LinkButton } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import type { ReactNode } from 'react';

/**
 * A button (or, with `to`, a link styled as one) that is disabled with the
 * reason as its tooltip; a disabled button fires no hover events, so the
 * tooltip hangs on a wrapper.
 */
export function GatedButton(props: {
  children: ReactNode;
  onClick?: () => void;
  /** Navigates here instead of calling `onClick`. */
  to?: string;
  color?: 'default' | 'primary' | 'secondary';
  variant?: 'text' | 'outlined' | 'contained';
  startIcon?: ReactNode;
  /** Why the button is disabled; undefined enables it. */
  disabledReason?: string;
  /** Disabled without a reason, e.g. while the permission is checked. */
  pending?: boolean;
}) {
  const { disabledReason, pending, to, ...buttonProps } = props;
  const disabled = Boolean(disabledReason) || Boolean(pending);
  const button =
    to && !disabled ? (
      <LinkButton {...buttonProps} to={to} />
    ) : (
      <Button {...buttonProps} disabled={disabled} />
    );
  if (!disabledReason) {
    return button;
  }
  return (
    <Tooltip title={disabledReason}>
      <span data-testid="disabled-reason" aria-label={disabledReason}>
        {button}
      </span>
    </Tooltip>
  );
}
