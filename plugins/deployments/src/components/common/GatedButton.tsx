import Button, { type ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';

/**
 * A button that is disabled with the reason as its tooltip; a disabled
 * button fires no hover events, so the tooltip hangs on a wrapper.
 */
export function GatedButton(
  props: ButtonProps & {
    /** Why the button is disabled; undefined enables it. */
    disabledReason?: string;
    /** Disabled without a reason, e.g. while the permission is checked. */
    pending?: boolean;
  },
) {
  const { disabledReason, pending, ...buttonProps } = props;
  const button = (
    <Button
      {...buttonProps}
      disabled={Boolean(disabledReason) || pending || buttonProps.disabled}
    />
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
