import { z } from 'zod';
import { MAX_PLACES } from '../../routines/a-waiting-list/rules';

/** What the "forward to TID" and "register places" buttons submit (built by the service with renderActionMessageCard). */
export const placesSubmission = z.object({
  providerId: z.string().regex(/^[a-z0-9-]{1,40}$/),
  places: z.coerce.number().int().min(0).max(MAX_PLACES),
  /** The report the card belongs to: the button acts once per report (cards sent before it existed lack it). */
  reportId: z.string().min(1).max(100).optional(),
});
