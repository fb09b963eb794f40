/**
 * A small square button showing an icon, labelled for screen readers and tooltips.
 */

import type { MouseEvent, Ref } from 'react';
import { Icon, type IconName } from './icons';

/** Props of `IconButton`. */
export interface IconButtonProps {
  icon: IconName;
  label: string;
  onClick: (event: MouseEvent<HTMLButtonElement>) => void;
  isDisabled?: boolean;
  testId?: string;
  className?: string;
  ref?: Ref<HTMLButtonElement>;
}

/** A compact icon-only button with a tooltip. */
export function IconButton({ icon, label, onClick, isDisabled = false, testId, className, ref }: IconButtonProps) {
  return (
    <button
      ref={ref}
      type="button"
      className={className ? `icon-button ${className}` : 'icon-button'}
      title={label}
      aria-label={label}
      disabled={isDisabled}
      data-testid={testId}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );
}
