import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { decodeGnssPlaceAuthRecord, encodeGnssPlaceAuthRecord } from './gnss-place-auth-record.ts';
import { decodePlaceAuthRecord, encodePlaceAuthRecord } from './place-auth-record.ts';
import {
  decodeVuBorderCrossingRecord,
  decodeVuGnssAdRecordV2,
  decodeVuLoadUnloadRecord,
  decodeVuPlaceDailyWorkPeriodRecordV2,
  encodeVuBorderCrossingRecord,
  encodeVuGnssAdRecordV2,
  encodeVuLoadUnloadRecord,
  encodeVuPlaceDailyWorkPeriodRecordV2,
} from './vu-gnss-records-v2.ts';

/** Driver card B000000012345601 of Belgium ('06'H), generation 2: EquipmentType 01, NationNumeric 06, 16 IA5, Generation 02. */
const ANNA_HEX = '01' + '06' + '42303030303030303132333435363031' + '02';
const anna = { cardType: 'driver', issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 } as const;
const NO_CARD_HEX = '00'.repeat(19);
const AT_10 = Date.UTC(2026, 2, 3, 10); // TimeReal 1772532000 = '69A6B120'H

/** 2026-03-03 10:00:00Z, accuracy 1.0 (10), 50°30.5' N (50305 = '00C481'H), 6°12.3' E (DDDMM.M 00612.3: 6123 = '0017EB'H), authenticated. */
const PLACE_HEX = '69a6b120' + '0a' + '00c481' + '0017eb' + '01';
const place = { timeStamp: AT_10, gnssAccuracy: 10, geoCoordinates: { latitude: 50305, longitude: 6123 }, authenticationStatus: 'authenticated' } as const;

describe('App. 1 §2.79c GNSSPlaceAuthRecord', () => {
  it('is 12 bytes: timeStamp 0..3, gnssAccuracy 4, latitude 5..7, longitude 8..10, authenticationStatus 11', () => {
    expect(toHex(encodeGnssPlaceAuthRecord(place))).toBe(PLACE_HEX);
    expect(decodeGnssPlaceAuthRecord(fromHex(PLACE_HEX))).toEqual(place);
  });

  it('reads south and west as two\'s complement, and refuses an RFU authentication status', () => {
    // latitude -33450 = 'FF7D56'H (33°45.0' S)
    const south = decodeGnssPlaceAuthRecord(fromHex('69a6b120' + '0a' + 'ff7d56' + 'ffffff' + '00'));
    expect(south.geoCoordinates).toEqual({ latitude: -33450, longitude: -1 });
    expect(south.authenticationStatus).toBe('not-authenticated');
    expect(() => decodeGnssPlaceAuthRecord(fromHex(PLACE_HEX.slice(0, -2) + '02'))).toThrow("PositionAuthenticationStatus '02'H is RFU (App. 1 §2.117a)");
    expect(() => decodeGnssPlaceAuthRecord(fromHex(PLACE_HEX.slice(0, -2)))).toThrow('GNSSPlaceAuthRecord needs 12 bytes, 11 left');
  });
});

describe('App. 1 §2.116a PlaceAuthRecord and §2.219 VuPlaceDailyWorkPeriodRecord (gen2 v2)', () => {
  // entryTime 0..3, entryTypeDailyWorkPeriod 4 (02: begin, related time = card insertion), country 5 (06 B),
  // region 6 (00), odometer 7..9 (1234 km = '0004D2'H), entryGNSSPlaceAuthRecord 10..21
  const PLACE_AUTH_HEX = '69a6b120' + '02' + '06' + '00' + '0004d2' + PLACE_HEX;
  const placeAuth = { entryTime: AT_10, entryTypeDailyWorkPeriod: 2, dailyWorkPeriodCountry: 6, dailyWorkPeriodRegion: 0, vehicleOdometerValue: 1234, entryGNSSPlaceAuthRecord: place };

  it('PlaceAuthRecord is 22 bytes', () => {
    expect(toHex(encodePlaceAuthRecord(placeAuth))).toBe(PLACE_AUTH_HEX);
    expect(decodePlaceAuthRecord(fromHex(PLACE_AUTH_HEX))).toEqual(placeAuth);
  });

  it('VuPlaceDailyWorkPeriodRecord is the card (0..18) then the PlaceAuthRecord (19..40)', () => {
    const record = { fullCardNumberAndGeneration: anna, placeAuthRecord: placeAuth };
    expect(toHex(encodeVuPlaceDailyWorkPeriodRecordV2(record))).toBe(ANNA_HEX + PLACE_AUTH_HEX);
    expect(decodeVuPlaceDailyWorkPeriodRecordV2(fromHex(ANNA_HEX + PLACE_AUTH_HEX))).toEqual(record);
    expect(() => decodeVuPlaceDailyWorkPeriodRecordV2(fromHex(NO_CARD_HEX + PLACE_AUTH_HEX))).toThrow('VuPlaceDailyWorkPeriodRecord: no card number');
  });
});

describe('App. 1 §2.203 VuGNSSADRecord (gen2 v2)', () => {
  it('is 57 bytes: timeStamp 0..3, driver slot 4..22, co-driver slot 23..41, gnssPlaceAuthRecord 42..53, odometer 54..56', () => {
    const hex = '69a6b120' + ANNA_HEX + NO_CARD_HEX + PLACE_HEX + '0004d2';
    const record = { timeStamp: AT_10, cardNumberAndGenDriverSlot: anna, cardNumberAndGenCodriverSlot: null, gnssPlaceAuthRecord: place, vehicleOdometerValue: 1234 };
    expect(toHex(encodeVuGnssAdRecordV2(record))).toBe(hex);
    expect(decodeVuGnssAdRecordV2(fromHex(hex))).toEqual(record);
  });
});

describe('App. 1 §2.203a VuBorderCrossingRecord', () => {
  it('is 55 bytes: driver slot 0..18, co-driver slot 19..37, countryLeft 38, countryEntered 39, place 40..51, odometer 52..54', () => {
    // from Belgium ('06'H) into Germany ('0D'H)
    const hex = ANNA_HEX + NO_CARD_HEX + '06' + '0d' + PLACE_HEX + '0004d2';
    const record = { cardNumberAndGenDriverSlot: anna, cardNumberAndGenCodriverSlot: null, countryLeft: 0x06, countryEntered: 0x0d, gnssPlaceAuthRecord: place, vehicleOdometerValue: 1234 };
    expect(fromHex(hex)).toHaveLength(55);
    expect(toHex(encodeVuBorderCrossingRecord(record))).toBe(hex);
    expect(decodeVuBorderCrossingRecord(fromHex(hex))).toEqual(record);
  });
});

describe('App. 1 §2.208a VuLoadUnloadRecord', () => {
  // timeStamp 0..3 (14:30:00Z = '69A6F068'H), operationType 4, driver 5..23, co-driver 24..42, place 43..54, odometer 55..57
  const hex = (op: string) => '69a6f068' + op + NO_CARD_HEX + ANNA_HEX + PLACE_HEX + '000100';
  it('is 58 bytes, operationType 01 load, 02 unload, 03 both', () => {
    const record = { timeStamp: Date.UTC(2026, 2, 3, 14, 30), operationType: 'unload', cardNumberAndGenDriverSlot: null, cardNumberAndGenCodriverSlot: anna, gnssPlaceAuthRecord: place, vehicleOdometerValue: 256 } as const;
    expect(fromHex(hex('02'))).toHaveLength(58);
    expect(toHex(encodeVuLoadUnloadRecord(record))).toBe(hex('02'));
    expect(decodeVuLoadUnloadRecord(fromHex(hex('02')))).toEqual(record);
    expect(decodeVuLoadUnloadRecord(fromHex(hex('01'))).operationType).toBe('load');
    expect(decodeVuLoadUnloadRecord(fromHex(hex('03'))).operationType).toBe('load-unload');
    expect(() => decodeVuLoadUnloadRecord(fromHex(hex('00')))).toThrow("VuLoadUnloadRecord: OperationType '00'H is RFU (App. 1 §2.114a)");
  });
});
