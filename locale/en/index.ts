import type { Texts } from '../sv';
import { a } from './a';
import { b } from './b';
import { c } from './c';
import { common } from './common';
import { d } from './d';
import { dp } from './dp';

/** English: the second locale, chosen from the activity's locale. Each part is typed against the Swedish one. */
export const en: Texts = { ...common, a, b, c, d, dp };
