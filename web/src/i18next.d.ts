import type { resources } from './locales';

// Keys are checked against the Dutch catalogue: t('missing.key') does not compile.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['nl'];
  }
}
