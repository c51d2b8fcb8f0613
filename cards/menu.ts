import { z } from 'zod';
import { expandCard, type CardAttachment } from './expand';
import template from './templates/menu.json';

export interface MenuCardData {
  greeting: string;
  intro: string;
  openLabel: string;
  notAvailableLabel: string;
  routines: Array<{ id: string; name: string; description: string; available: boolean }>;
  extras: Array<{ id: string; title: string }>;
}

export function renderMenuCard(d: MenuCardData): CardAttachment {
  return expandCard(template, d);
}

/** What a menu button submits (Action.Submit: navigation only, it changes no state). */
export const menuSubmission = z.object({
  menu: z.string().min(1).max(40),
  /** Set by the "open" button of a task list: resume that task's step. */
  taskId: z.string().min(1).max(200).optional(),
  taskUnit: z.string().min(1).max(100).optional(),
  taskDue: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
