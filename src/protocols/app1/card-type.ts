/** The four kinds of tachograph card (Annex IC definitions; App. 1 2.67 `EquipmentType` 1..4). */
export const CARD_TYPES = ['driver', 'workshop', 'control', 'company'] as const;
export type CardType = (typeof CARD_TYPES)[number];

/** App. 1 2.67 `EquipmentType`: the values that name a card. */
export const EQUIPMENT_TYPE: Readonly<Record<CardType, number>> = { driver: 1, workshop: 2, control: 3, company: 4 };

export function cardTypeOfEquipment(equipmentType: number): CardType | undefined {
  return CARD_TYPES.find((type) => EQUIPMENT_TYPE[type] === equipmentType);
}

/** App. 1 2.75 `Generation`: 1 or 2 (0 and 3..255 are RFU). */
export type CardGeneration = 1 | 2;

/** The VU's two card slots (App. 1 2.33 `CardSlotNumber`: driverSlot 0, co-driverSlot 1). */
export type CardSlot = 'driver' | 'co-driver';
export const CARD_SLOT_NUMBER: Readonly<Record<CardSlot, number>> = { driver: 0, 'co-driver': 1 };
