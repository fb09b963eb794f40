/**
 * The few line icons the app uses, drawn inline so nothing loads from elsewhere.
 */

import type { ReactNode } from 'react';

/** The icon names. */
export type IconName =
  | 'plus'
  | 'pencil'
  | 'copy'
  | 'archive'
  | 'unarchive'
  | 'arrow-up'
  | 'arrow-down'
  | 'trash'
  | 'close'
  | 'search'
  | 'history'
  | 'eye'
  | 'restore'
  | 'compare'
  | 'warning'
  | 'info'
  | 'play'
  | 'stop'
  | 'gear'
  | 'prompts'
  | 'expand'
  | 'collapse'
  | 'check'
  | 'release'
  | 'evals'
  | 'upload'
  | 'download';

const paths: Record<IconName, ReactNode> = {
  plus: <path d="M8 3v10M3 8h10" />,
  pencil: <path d="M10.5 2.5l3 3L6 13H3v-3l7.5-7.5z" />,
  copy: (
    <>
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 5.5v-2a1 1 0 00-1-1h-6a1 1 0 00-1 1v6a1 1 0 001 1h2" />
    </>
  ),
  archive: (
    <>
      <rect x="2" y="3" width="12" height="3" rx="1" />
      <path d="M3 6v6.5a1 1 0 001 1h8a1 1 0 001-1V6M6.5 9h3" />
    </>
  ),
  unarchive: (
    <>
      <rect x="2" y="3" width="12" height="3" rx="1" />
      <path d="M3 6v6.5a1 1 0 001 1h8a1 1 0 001-1V6M8 12V8.5M6.5 10L8 8.5 9.5 10" />
    </>
  ),
  'arrow-up': <path d="M8 13V3M4 7l4-4 4 4" />,
  'arrow-down': <path d="M8 3v10M4 9l4 4 4-4" />,
  trash: <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5a1 1 0 001 .9h3.8a1 1 0 001-.9l.6-8.5" />,
  close: <path d="M4 4l8 8M12 4l-8 8" />,
  search: (
    <>
      <circle cx="7" cy="7" r="4" />
      <path d="M10 10l3.5 3.5" />
    </>
  ),
  history: <path d="M2.5 8a5.5 5.5 0 101.6-3.9M2.5 2.5v2.5H5M8 5v3.2l2 1.3" />,
  eye: (
    <>
      <path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z" />
      <circle cx="8" cy="8" r="2" />
    </>
  ),
  restore: <path d="M3 8a5 5 0 109.9-1M3 3v3h3" />,
  compare: <path d="M5 2.5v11M11 2.5v11M2.5 5.5L5 3l2.5 2.5M8.5 10.5L11 13l2.5-2.5" />,
  warning: <path d="M8 2L1.5 13.5h13L8 2zM8 6.5v3.5M8 11.8v.2" />,
  info: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M8 7.3v4M8 4.9v.2" />
    </>
  ),
  play: <path d="M4.5 3v10l8.5-5-8.5-5z" />,
  stop: <rect x="4" y="4" width="8" height="8" rx="1" />,
  gear: (
    <>
      <circle cx="8" cy="8" r="2.2" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </>
  ),
  prompts: <path d="M4 2.5h5.5L12.5 5.5v8h-8.5v-11zM9.5 2.5v3h3M6 8.5h4.5M6 11h4.5" />,
  expand: <path d="M3 6.5V3h3.5M13 6.5V3H9.5M3 9.5V13h3.5M13 9.5V13H9.5" />,
  collapse: <path d="M6.5 3v3.5H3M9.5 3v3.5H13M6.5 13V9.5H3M9.5 13V9.5H13" />,
  check: <path d="M3 8.5l3.2 3L13 4.5" />,
  release: <path d="M2.5 2.5h5.2l6 6-5.2 5.2-6-6V2.5zM5.4 5.4h.1" />,
  evals: <path d="M2.5 4.2l1.3 1.3L6.3 3M8.5 4.5h5M2.5 9.7l1.3 1.3 2.5-2.5M8.5 10h5M8.5 13.2h5" />,
  upload: <path d="M8 10.5V2.5M5 5.5l3-3 3 3M2.5 10.5v2a1 1 0 001 1h9a1 1 0 001-1v-2" />,
  download: <path d="M8 2.5v8M5 7.5l3 3 3-3M2.5 10.5v2a1 1 0 001 1h9a1 1 0 001-1v-2" />,
};

/** A 16px line icon. */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {paths[name]}
    </svg>
  );
}
