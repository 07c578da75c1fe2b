/** What the report says about a cause or a provider: the classifier's own wording, never a copy of it. */

export interface CauseText {
  title: string;
  meaning: string;
  action: string;
}

export interface Describer {
  cause(id: string): CauseText;
  provider(id: string): string;
}
