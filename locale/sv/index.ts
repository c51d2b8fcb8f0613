import { a } from './a';
import { b } from './b';
import { c } from './c';
import { common } from './common';
import { d } from './d';
import { dp } from './dp';

/**
 * Swedish: the product's first language. Every string a person reads lives here (and in ../en/):
 * what every routine shares in common.ts, each routine's own texts in a.ts, b.ts, c.ts and d.ts.
 */
export const sv = { ...common, a, b, c, d, dp };

/** The shape of every catalogue: the English one is typed against it, part by part. */
export type Texts = typeof sv;
