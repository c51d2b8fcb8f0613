/** Interruptions understood at any step, in both languages. */
export type Interruption = 'cancel' | 'help' | 'menu';

const INTERRUPTIONS: Record<string, Interruption> = {
  avbryt: 'cancel',
  cancel: 'cancel',
  stopp: 'cancel',
  stop: 'cancel',
  hjälp: 'help',
  help: 'help',
  '?': 'help',
  meny: 'menu',
  menu: 'menu',
  start: 'menu',
};

/** Lower-cases, trims and drops a Teams @mention and trailing punctuation. */
export function normaliseText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, '')
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ');
}

export function interruptionOf(text: string | undefined): Interruption | undefined {
  return INTERRUPTIONS[normaliseText(text)];
}
