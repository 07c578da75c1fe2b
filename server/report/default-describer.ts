/** The describer the CLI and the API use: the classifier's own cause and provider knowledge. */

import { CAUSES, causeInfo, providerInfo, type Cause } from '../../classify/index.js';
import type { Describer } from './describe.js';

function isCause(id: string): id is Cause {
  return (CAUSES as readonly string[]).includes(id);
}

export function defaultDescriber(): Describer {
  return {
    cause(id) {
      if (!isCause(id)) return { title: id, meaning: '', action: '' };
      const info = causeInfo(id);
      return { title: info.title, meaning: info.meaning, action: info.action };
    },
    provider: (id) => providerInfo(id)?.name ?? id,
  };
}
