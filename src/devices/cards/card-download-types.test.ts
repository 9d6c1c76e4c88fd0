import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { signPlain } from '../../crypto/pki/ec-keys.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { decodeCardDownload, encodeCardDownload, FID, verifyCardDownload, type CardDf, type CardEf, type DecodedCardFile } from '../../protocols/card-files/index.ts';
import { h, ia5, latin1, n16, n24, n8, recordSet, t, vri, zeros } from '../../protocols/card-files/test-ef-bytes.ts';
import { NO_LINK_CERTIFICATE } from '../../protocols/card-files/card-certificate-records.ts';
import type { VirtualCard } from './card-schema.ts';
import { cardCredentials, cardG1Credentials, cardSigner, cardSignerG1 } from './card-credentials.ts';
import { acme, carla, wendy } from './test-cards.ts';

/**
 * Workshop, control and company card downloads (App. 2 TCS_156..179, gen1 and gen2 version 2), their EFs
 * written field by field with records in them, signed with the rig's test PKI as the card would sign them
 * (App. 7 §3.3.3: DF Tachograph with the card's RSA key, DF Tachograph_G2 with Card_Sign, a control or company
 * card with its Card_MA key: it has no other, CSM_83), then decoded whole and verified.
 */
const roots = { rootCertificates: [fromHex(TestPki.of().erca.certificate)], europeanPublicKeys: [TestPkiG1.of().eurPublicKeyBytes()] };

const cardIdentification = (card: VirtualCard) =>
  n8(card.issuingMemberState.numeric) + ia5(card.cardNumber, 16) + latin1('Rig Authority') + t(`${card.validity.begin}T00:00:00Z`) + t(`${card.validity.begin}T00:00:00Z`) + t(`${card.validity.expiry}T00:00:00Z`);
const holder = (c: { holder: { surname: string; firstNames: string } }) => latin1(c.holder.surname) + latin1(c.holder.firstNames);

/** A day of activity (App. 1 2.9): previous length, date, BCD counter, km, words. */
const day = (previous: number, date: string, counter: string, km: number, words: string[]) => n16(previous) + n16(12 + 2 * words.length) + t(date) + counter + n16(km) + words.join('');
const event = (type: number, begin: string, end: string) => n8(type) + t(begin) + t(end) + vri(0x06, '1-ABC-123');
const vehicleG2 = n24(1000) + n24(1180) + t('2025-09-10T08:00:00Z') + t('2025-09-10T12:30:00Z') + vri(0x06, '1-ABC-123') + '0042' + ia5('WDB9634031L123456', 17);
const gnss = (ts: string) => t(ts) + '0a' + n24(50505) + n24(4210);
const gnssAuth = (ts: string) => gnss(ts) + '01';

/** EFs common to driver and workshop cards, gen2 v2 sizes of a workshop card (TCS_163). */
function workshopG2Efs(): [number, string][] {
  const activity = day(0, '2025-09-10T00:00:00Z', '0007', 180, ['0000', '1be0', '2ad0']); // rest, 08:00 driving, 12:00 card out
  const calibration = '04' + ia5('WDB9634031L123456', 17) + vri(0x06, '1-ABC-123') + n16(8000) + n16(8010) + n16(25200) + ia5('315/70 R22.5', 15) + n8(90) + n24(1000) + n24(1000) +
    t('2025-09-10T07:00:00Z') + t('2025-09-10T07:00:05Z') + t('2027-09-10T00:00:00Z') + ia5('VU-PART-0001', 16) + zeros(16) + zeros(16) + '00' + n8(0) + zeros(55);
  return [
    [FID.APPLICATION_IDENTIFICATION, '02' + '0101' + '03' + '06' + n16(492) + n16(8) + n16(8) + n16(255) + n16(24) + n16(4) + n16(8)],
    [FID.IDENTIFICATION, cardIdentification(wendy) + latin1(wendy.workshopName) + latin1(wendy.address!) + holder(wendy) + ia5('nl', 2)],
    [FID.WORKSHOP_CARD_DOWNLOAD, n16(1)],
    [FID.CALIBRATION, n16(1) + recordSet(0, 2, 178, 255, [calibration])],
    [FID.SENSOR_INSTALLATION_DATA, '10' + '22'.repeat(16) + '01'],
    [FID.EVENTS_DATA, zeros(24 * 3) + event(0x05, '2025-09-10T08:10:00Z', '2025-09-10T08:11:00Z') + zeros(24 * 2) + zeros(24 * 3 * 9)],
    [FID.FAULTS_DATA, zeros(24 * 12)],
    [FID.DRIVER_ACTIVITY_DATA, n16(0) + n16(0) + activity + zeros(492 - activity.length / 2)],
    [FID.VEHICLES_USED, recordSet(0, 2, 48, 8, [vehicleG2])],
    [FID.PLACES, recordSet(0, 2, 21, 8, [t('2025-09-10T08:00:00Z') + '00' + '06' + '00' + n24(1000) + gnss('2025-09-10T08:00:00Z')])],
    [FID.CURRENT_USAGE, t('2025-09-11T06:00:00Z') + vri(0x06, '1-ABC-123')],
    [FID.CONTROL_ACTIVITY_DATA, zeros(46)],
    [FID.SPECIFIC_CONDITIONS, recordSet(0, 2, 5, 4)],
    [FID.VEHICLE_UNITS_USED, recordSet(0, 2, 10, 8, [t('2025-09-10T07:59:00Z') + '40' + '01' + ia5('0102', 4)])],
    [FID.GNSS_PLACES, recordSet(0, 2, 18, 24, [t('2025-09-10T11:00:00Z') + gnss('2025-09-10T11:00:00Z') + n24(1150)])],
    [FID.APPLICATION_IDENTIFICATION_V2, n16(8) + n16(4) + n16(8) + n16(4) + n16(3072)],
    [FID.PLACES_AUTHENTICATION, recordSet(0, 2, 5, 8, [t('2025-09-10T08:00:00Z') + '01'])],
    [FID.GNSS_PLACES_AUTHENTICATION, recordSet(0, 2, 5, 24, [t('2025-09-10T11:00:00Z') + '01'])],
    [FID.BORDER_CROSSINGS, recordSet(0, 2, 17, 4, ['06' + '11' + gnssAuth('2025-09-10T10:40:00Z') + n24(1120)])],
    [FID.LOAD_UNLOAD_OPERATIONS, recordSet(0, 2, 20, 8, [t('2025-09-10T09:00:00Z') + '01' + gnssAuth('2025-09-10T09:00:00Z') + n24(1050)])],
    [FID.LOAD_TYPE_ENTRIES, recordSet(0, 2, 5, 4, [t('2025-09-10T08:00:00Z') + '01'])],
    [FID.CALIBRATION_ADD_DATA, recordSet(0, 2, 27, 255, [t('2025-09-10T07:00:00Z') + ia5('WDB9634031L123456', 17) + '01' + '06' + t('2025-09-10T06:59:00Z')])],
    [FID.VU_CONFIGURATION, zeros(3072)],
  ];
}

/** The gen1 application of the same workshop card (TCS_158/159, minimum sizes). */
function workshopG1Efs(): [number, string][] {
  return [
    [FID.APPLICATION_IDENTIFICATION, '02' + '0000' + '03' + '06' + n16(198) + n16(4) + '06' + n8(88)],
    [FID.IDENTIFICATION, cardIdentification(wendy) + latin1(wendy.workshopName) + latin1(wendy.address!) + holder(wendy) + ia5('nl', 2)],
    [FID.WORKSHOP_CARD_DOWNLOAD, n16(1)],
    [FID.CALIBRATION, n16(1) + recordSet(0, 1, 105, 88)],
    [FID.SENSOR_INSTALLATION_DATA, '33'.repeat(16)],
    [FID.EVENTS_DATA, zeros(24 * 3 * 6)],
    [FID.FAULTS_DATA, zeros(24 * 12)],
    [FID.DRIVER_ACTIVITY_DATA, zeros(4 + 198)],
    [FID.VEHICLES_USED, recordSet(0, 2, 31, 4)],
    [FID.PLACES, recordSet(0, 1, 10, 6)],
    [FID.CURRENT_USAGE, t('2025-09-11T06:00:00Z') + vri(0x06, '1-ABC-123')],
    [FID.CONTROL_ACTIVITY_DATA, zeros(46)],
    [FID.SPECIFIC_CONDITIONS, zeros(10)],
  ];
}

function image(card: VirtualCard, g1: [number, string][], g2: [number, string][] | null, link?: Uint8Array) {
  const g1Creds = cardG1Credentials(card);
  const efs: CardEf[] = [];
  const put = (df: CardDf, list: [number, string][]) => list.forEach(([fid, hex]) => efs.push({ df, fid, data: h(hex) }));
  efs.push({ df: 'tachograph', fid: FID.CARD_CERTIFICATE, data: fromHex(g1Creds.card.certificate) }, { df: 'tachograph', fid: FID.CA_CERTIFICATE, data: fromHex(g1Creds.caCertificate) });
  put('tachograph', g1);
  if (g2) {
    const creds = cardCredentials(card);
    efs.push({ df: 'tachograph-g2', fid: FID.CARD_CERTIFICATE, data: fromHex(creds.cardMa.certificate) });
    if (creds.cardSign) efs.push({ df: 'tachograph-g2', fid: FID.CARD_SIGN_CERTIFICATE, data: fromHex(creds.cardSign.certificate) });
    efs.push({ df: 'tachograph-g2', fid: FID.CA_CERTIFICATE, data: fromHex(creds.mscaCertificate) });
    if (link) efs.push({ df: 'tachograph-g2', fid: FID.LINK_CERTIFICATE, data: link });
    put('tachograph-g2', g2);
  }
  const creds = cardCredentials(card);
  const g2Signer = creds.cardSign ? cardSigner(card) : (data: Uint8Array) => signPlain(creds.cardMa.key, data);
  return encodeCardDownload({ generation: g2 ? 2 : 1, efs }, { g1: cardSignerG1(card), ...(g2 ? { g2: g2Signer } : {}) });
}

/** Every EF typed, none with a problem. */
function expectWhole(d: DecodedCardFile) {
  expect(d.problems).toEqual([]);
  expect(d.efs.filter((e) => e.type === 'unknown' || e.type === 'undecodable' || e.problems.length > 0).map((e) => `${e.df} ${e.name} ${e.problems.join('; ')}`)).toEqual([]);
}

describe('a gen2 v2 workshop card download', () => {
  const file = image(wendy, workshopG1Efs(), workshopG2Efs(), new Uint8Array(205));
  const decoded = decodeCardDownload(file);

  it('decodes whole: every EF of both DFs typed; EF Card_Download and Sensor_Installation_Data stay on the card (DDP_035)', () => {
    expectWhole(decoded);
    expect([decoded.cardType, decoded.generation, decoded.structure]).toEqual(['workshop', 2, 'gen2v2']);
    expect(decoded.efs.filter((e) => e.df === 'tachograph-g2').map((e) => e.type)).toEqual([
      'Certificate', 'Certificate', 'Certificate', 'CardApplicationIdentification', 'CardIdentification', 'WorkshopCardCalibrationData', 'CardEventData', 'CardFaultData',
      'CardDriverActivity', 'CardVehiclesUsed', 'CardPlaceDailyWorkPeriod', 'CardCurrentUse', 'CardControlActivityDataRecord', 'SpecificConditions', 'CardVehicleUnitsUsed',
      'GNSSAccumulatedDriving', 'CardApplicationIdentificationV2', 'CardPlaceAuthDailyWorkPeriod', 'GNSSAuthAccumulatedDriving', 'CardBorderCrossings', 'CardLoadUnloadOperations',
      'CardLoadTypeEntries', 'WorkshopCardCalibrationAddData', 'VuConfigurations',
    ]);
    expect(decoded.efs.find((e) => e.fid === FID.LINK_CERTIFICATE)).toMatchObject({ type: 'Certificate', record: { present: false, reason: NO_LINK_CERTIFICATE } });
  });

  it('gives C the summary: holder, period, counts per record type, the download time', () => {
    expect(decoded.summary).toEqual({
      cardType: 'workshop',
      generation: 2,
      structure: 'gen2v2',
      cardIssuingMemberState: 6,
      cardNumber: 'B000000000777000',
      holder: 'WOUTERS Wendy',
      cardValidityBegin: '2025-01-01T00:00:00.000Z',
      cardExpiryDate: '2030-12-31T00:00:00.000Z',
      activities: { df: 'tachograph-g2', firstDay: '2025-09-10', lastDay: '2025-09-10', days: 1 },
      downloadTime: { at: '2025-09-11T06:00:00.000Z', source: 'the latest time the file records: DF Tachograph EF Current_Usage sessionOpenTime' },
      counts: {
        tachograph: { WorkshopCardCalibrationRecord: 0, CardEventRecord: 0, CardFaultRecord: 0, CardActivityDailyRecord: 0, ActivityChangeInfo: 0, CardVehicleRecord: 0, PlaceRecord: 0, CardControlActivityDataRecord: 0, SpecificConditionRecord: 0 },
        'tachograph-g2': {
          WorkshopCardCalibrationRecord: 1, CardEventRecord: 1, CardFaultRecord: 0, CardActivityDailyRecord: 1, ActivityChangeInfo: 3, CardVehicleRecord: 1, PlaceRecord: 1,
          CardControlActivityDataRecord: 0, SpecificConditionRecord: 0, CardVehicleUnitRecord: 1, GNSSAccumulatedDrivingRecord: 1, PlaceAuthStatusRecord: 1, GNSSAuthStatusADRecord: 1,
          CardBorderCrossingRecord: 1, CardLoadUnloadRecord: 1, CardLoadTypeEntryRecord: 1, WorkshopCardCalibrationAddDataRecord: 1,
        },
      },
      problems: 0,
    });
  });

  it('verifies: every signed EF of both DFs, certificates unsigned, the all-zero Link_Certificate as none', () => {
    const v = verifyCardDownload(file, roots);
    expect([v.ok, v.problems, new Date(v.at).toISOString()]).toEqual([true, [], '2025-09-11T06:00:00.000Z']);
    expect(v.verdicts.filter((x) => x.status === 'verified')).toHaveLength(11 + 21);
    expect(v.verdicts.find((x) => x.block === 'DF Tachograph_G2 EF Link_Certificate')).toMatchObject({ status: 'unsigned', reason: NO_LINK_CERTIFICATE });
    // with no root given the all-zero link certificate is still no certificate, not a broken one
    const unknown = verifyCardDownload(file, { ...roots, rootCertificates: [] });
    expect(unknown.verdicts.find((x) => x.block === 'DF Tachograph_G2 EF CA_Certificate')).toMatchObject({ status: 'unknown-root' });
    expect(unknown.verdicts.filter((x) => x.status === 'failed')).toEqual([]);
  });

  it('a byte changed in a gen2 v2 EF names it', () => {
    const damaged = Uint8Array.from(file);
    const border = decoded.efs.find((e) => e.df === 'tachograph-g2' && e.fid === FID.BORDER_CROSSINGS)!;
    damaged[border.offset + 5 + 3] ^= 0x01;
    const v = verifyCardDownload(damaged, roots);
    expect(v.verdicts.filter((x) => x.status === 'failed')).toEqual([{ block: 'DF Tachograph_G2 EF Border_Crossings', offset: border.offset, status: 'failed', reason: 'signature verification failed' }]);
  });

  it('an archived file verifies at its download time; judged at a time after its certificates expired, it would not', () => {
    expect(verifyCardDownload(file, roots).ok).toBe(true);
    const later = verifyCardDownload(file, roots, { at: Date.UTC(2032, 0, 1) });
    expect(later.ok).toBe(false);
    expect(later.verdicts.find((x) => x.block === 'DF Tachograph_G2 EF CardSignCertificate')).toMatchObject({ status: 'failed', reason: 'EQT certificate: expired at 2030-12-31T23:59:59.000Z, checked at 2032-01-01T00:00:00.000Z' });
  });
});

describe('control and company cards (no Card_Sign key: DF Tachograph_G2 checked with Card_MA, README)', () => {
  const controlG1: [number, string][] = [
    [FID.APPLICATION_IDENTIFICATION, '03' + '0000' + n16(230)],
    [FID.IDENTIFICATION, cardIdentification(carla) + latin1(carla.controlBodyName) + latin1(carla.address!) + holder(carla) + ia5('fr', 2)],
    [FID.CONTROLLER_ACTIVITY_DATA, recordSet(0, 2, 46, 230, ['c0' + t('2025-09-12T09:00:00Z') + '01' + '06' + ia5('B000000012345601', 16) + vri(0x06, '1-ABC-123') + t('2025-08-01T00:00:00Z') + t('2025-09-12T09:00:00Z')])],
  ];
  const controlG2: [number, string][] = [
    [FID.APPLICATION_IDENTIFICATION, '03' + '0101' + n16(230)],
    ...controlG1.slice(1),
    [FID.APPLICATION_IDENTIFICATION_V2, n16(2) + n16(3072)],
    [FID.VU_CONFIGURATION, zeros(3072)],
  ];

  it('a gen2 v2 control card: decoded whole, the control made, verified in both DFs', () => {
    const file = image(carla, controlG1, controlG2);
    const d = decodeCardDownload(file);
    expectWhole(d);
    expect([d.cardType, d.structure, d.summary.holder, d.summary.counts['tachograph-g2']]).toEqual(['control', 'gen2v2', 'CLAES Carla', { controlActivityRecord: 1 }]);
    const control = d.efs.find((e) => e.df === 'tachograph-g2' && e.type === 'ControlCardControlActivityData');
    expect(control?.type === 'ControlCardControlActivityData' && control.record.controlActivityRecords[0]).toEqual({
      // c0: card and VU downloaded
      controlType: { cardDownloading: true, vuDownloading: true, printing: false, display: false, roadsideCalibrationChecking: false },
      controlTime: '2025-09-12T09:00:00.000Z',
      controlledCardNumber: { cardType: 1, cardIssuingMemberState: 6, cardNumber: 'B000000012345601' },
      controlledVehicleRegistration: { vehicleRegistrationNation: 6, vehicleRegistrationNumber: '1-ABC-123' },
      controlDownloadPeriodBegin: '2025-08-01T00:00:00.000Z',
      controlDownloadPeriodEnd: '2025-09-12T09:00:00.000Z',
    });
    const v = verifyCardDownload(file, roots);
    expect([v.ok, v.problems, v.atSource]).toEqual([true, [], 'the latest time the file records: DF Tachograph EF Controller_Activity_Data controlTime']);
    expect(v.verdicts.filter((x) => x.status === 'verified').map((x) => x.block)).toEqual([
      'DF Tachograph EF Application_Identification', 'DF Tachograph EF Identification', 'DF Tachograph EF Controller_Activity_Data',
      'DF Tachograph_G2 EF Application_Identification', 'DF Tachograph_G2 EF Identification', 'DF Tachograph_G2 EF Controller_Activity_Data',
      'DF Tachograph_G2 EF Application_Identification_V2', 'DF Tachograph_G2 EF VU_Configuration',
    ]);
    expect(v.verdicts.find((x) => x.block === 'DF Tachograph_G2 EF CardMA_Certificate')).toMatchObject({ status: 'unsigned' });
  });

  it('a gen1 company card: its activity, verified', () => {
    const g1: [number, string][] = [
      [FID.APPLICATION_IDENTIFICATION, '04' + '0000' + n16(230)],
      [FID.IDENTIFICATION, cardIdentification(acme) + latin1(acme.companyName) + latin1(acme.address!) + ia5('nl', 2)],
      [FID.COMPANY_ACTIVITY_DATA, recordSet(1, 2, 46, 230, ['03' + t('2025-09-01T07:00:00Z') + zeros(2) + '20'.repeat(16) + vri(0x06, '1-ABC-123') + zeros(8), '02' + t('2025-09-12T16:00:00Z') + zeros(2) + '20'.repeat(16) + vri(0x06, '1-ABC-123') + t('2025-09-01T00:00:00Z') + t('2025-09-12T16:00:00Z')])],
    ];
    const file = image(acme, g1, null);
    const d = decodeCardDownload(file);
    expectWhole(d);
    expect([d.cardType, d.generation, d.structure, d.summary.holder, d.summary.counts]).toEqual(['company', 1, 'gen1', 'Acme Transport', { tachograph: { companyActivityRecord: 2 } }]);
    const v = verifyCardDownload(file, roots);
    expect([v.ok, v.problems, new Date(v.at).toISOString()]).toEqual([true, [], '2025-09-12T16:00:00.000Z']);
  });
});
