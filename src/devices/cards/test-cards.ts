import { cardSchema } from './card-schema.ts';

/**
 * The cards tests hand to a VU directly, the same holders as the default rigs' `anna` and `wendy`
 * (rigs/loopback.yaml), without the workshop card's KM-WC keys.
 */
export const anna = cardSchema.parse({
  type: 'driver',
  issuingMemberState: 'B',
  cardNumber: 'B000000012345601',
  holder: { surname: 'PEETERS', firstNames: 'Anna' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});
