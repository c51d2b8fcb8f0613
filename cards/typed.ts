import { z } from 'zod';
import { containsPersonalIdentityNumber } from '../routines/shared/privacy';

/**
 * Which fields of a card's submitted data a person types. Each card's zod schema marks its
 * free-text inputs with `typed(...)`; the boundary check for personal identity numbers looks at
 * those fields and nothing else, so the bot's own ids, codes and choice values on buttons are
 * never mistaken for one (whatever their shape), and a new card cannot forget a check because
 * the mark sits beside the field's own limits.
 */
const typedFields = z.registry<{ typed: true }, z.ZodType>();

/** Marks a schema (a field of a card's data) as text a person types. Returns the same schema. */
export function typed<S extends z.ZodType>(schema: S): S {
  typedFields.add(schema, { typed: true });
  return schema;
}

type Def = { type: string; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; in?: z.ZodType; innerType?: z.ZodType; left?: z.ZodType; right?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Whether this field's schema (or one it wraps: optional, default, a transform's input) is marked typed. */
function isTyped(s: z.ZodType | undefined, depth = 0): boolean {
  if (!s || depth > 10) return false;
  if (typedFields.has(s)) return true;
  const d = defOf(s);
  return isTyped(d.innerType, depth + 1) || isTyped(d.in, depth + 1);
}

/** The names of the typed fields of a card's schema (objects, unions of objects, transforms and pipes of them). */
export function typedFieldNames(schema: z.ZodType): string[] {
  const names = new Set<string>();
  const walk = (s: z.ZodType | undefined, depth: number): void => {
    if (!s || depth > 10) return;
    const d = defOf(s);
    if (d.type === 'object' && d.shape) {
      for (const [key, field] of Object.entries(d.shape)) if (isTyped(field)) names.add(key);
      return;
    }
    for (const o of d.options ?? []) walk(o, depth + 1);
    walk(d.in, depth + 1);
    walk(d.innerType, depth + 1);
    walk(d.left, depth + 1);
    walk(d.right, depth + 1);
  };
  walk(schema, 0);
  return [...names];
}

const cache = new WeakMap<z.ZodType, string[]>();

/**
 * The first field a person typed, by the card's own schema, whose text holds a personal identity
 * number, if any. Checked at the boundary before the schema parses, for every form and button.
 */
export function typedFieldWithPersonalIdentityNumber(schema: z.ZodType, data: Record<string, unknown>): string | undefined {
  let fields = cache.get(schema);
  if (!fields) cache.set(schema, (fields = typedFieldNames(schema)));
  for (const key of fields) {
    const value = data[key];
    if (typeof value === 'string' && containsPersonalIdentityNumber(value)) return key;
  }
  return undefined;
}
