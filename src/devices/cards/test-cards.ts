import { companyCardSchema, controlCardSchema, driverCardSchema, workshopCardSchema } from './card-schema.ts';

/**
 * The cards tests hand to devices directly. `anna` and `wendy` are the default rigs' holders
 * (rigs/loopback.yaml; `wendy` here without the KM-WC keys); `max` is a German driver card for the
 * card codecs' own vectors. `acme` and `bolt` are two companies' cards, `carla` a control officer's: the
 * default rigs' names for them too.
 */
export const anna = driverCardSchema.parse({
  type: 'driver',
  issuingMemberState: 'B',
  cardNumber: 'B000000012345601',
  holder: { surname: 'PEETERS', firstNames: 'Anna' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});

export const wendy = workshopCardSchema.parse({
  type: 'workshop',
  issuingMemberState: 'B',
  cardNumber: 'B000000000777000',
  workshopName: 'Rig Tachograph Workshop',
  address: '2 Calibration Lane, Brussels',
  holder: { surname: 'WOUTERS', firstNames: 'Wendy' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});

export const max = driverCardSchema.parse({
  type: 'driver',
  issuingMemberState: 'D',
  cardNumber: 'DF00001234567801',
  holder: { surname: 'MUSTERMANN', firstNames: 'Max' },
  validity: { begin: '2024-03-01', expiry: '2029-02-28' },
});

export const acme = companyCardSchema.parse({
  type: 'company',
  issuingMemberState: 'B',
  cardNumber: 'B000000000ACM000',
  companyName: 'Acme Transport',
  address: '1 Haven Road, Antwerp',
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});

export const bolt = companyCardSchema.parse({
  type: 'company',
  issuingMemberState: 'B',
  cardNumber: 'B000000000BLT000',
  companyName: 'Bolt Logistics',
  address: '9 Depot Street, Ghent',
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});

export const carla = controlCardSchema.parse({
  type: 'control',
  issuingMemberState: 'B',
  cardNumber: 'B000000000CTL000',
  controlBodyName: 'Rig Road Control',
  address: '5 Inspection Square, Brussels',
  holder: { surname: 'CLAES', firstNames: 'Carla' },
  validity: { begin: '2025-01-01', expiry: '2030-12-31' },
});
