import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, xorBytes } from '../../../crypto/bytes.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { encodeExtendedSerialNumber } from '../../../crypto/pki/key-identifier.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { G1_EQUIPMENT_TYPE } from '../../../crypto/pki-g1/rsa-certificate.ts';
import { publicKeyOf } from '../../../crypto/pki-g1/rsa-keys.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { openAuthenticationCryptogram } from '../../../crypto/sm-g1/authentication-token.ts';
import { cryptographicChecksumG1, padG1 } from '../../../crypto/sm-g1/retail-mac.ts';
import { incrementSsc } from '../../../crypto/sm/secure-messaging.ts';
import { cardExtendedSerialNumber, cardG1Credentials } from '../../cards/card-credentials.ts';
import { driverCardSchema } from '../../cards/card-schema.ts';
import { anna } from '../../cards/test-cards.ts';
import { protectedReads, twentyEightDaysWritten } from './protected-reads.ts';
import { decodeCardEfContent, FID } from '../../../protocols/card-files/index.ts';
import { readEf } from '../../cards/emulator/card-memory.ts';

/**
 * CSM_013: a gen1 session key expires after 240 uses (a protected command and its response); the card answers the
 * 241st '6A88' (TCS_47). The VU renews the key before it (card-reader-g1.ts renewSessionKey). The session here: the
 * reader's two protected commands (SELECT EF Identification, READ BINARY CardIdentification), then `n` protected
 * READ BINARY of one byte, as a long session's reads and writes.
 */
const AT = Date.UTC(2026, 2, 2, 8);
const annaG1 = driverCardSchema.parse({ ...anna, generation: 1 });
const VU_CHR = '0000000101260640';

const session = (n: number) => protectedReads(annaG1, n, AT);

describe('gen1 session key renewal before its 240 uses are spent (CSM_013)', () => {
  it('240 protected commands: one key agreement, every answer under it', () => {
    const { report, answers, protectedCommands } = session(238);
    expect(report.result).toEqual({ ok: true });
    expect(protectedCommands).toHaveLength(240);
    expect(report.transcript.filter((e) => e.command.startsWith('0088'))).toHaveLength(1);
    // EF Identification's first byte: App. 1 CardIdentification's cardIssuingMemberState, 'B' = 06
    expect(new Set(answers)).toEqual(new Set(['06']));
  });

  it('the 241st: MSE: SET of the VU key, INTERNAL AUTHENTICATE, GET CHALLENGE, EXTERNAL AUTHENTICATE in plain right before it, then it goes under the new key K1′ ⊕ K2′ and SSC RND3′ ‖ RND1′ + 1', () => {
    const { report, answers, protectedCommands } = session(239);
    expect(report.result).toEqual({ ok: true });
    expect(answers).toHaveLength(239);
    expect(new Set(answers)).toEqual(new Set(['06']));
    expect(protectedCommands).toHaveLength(241);
    const t = report.transcript.map((e) => [e.command, e.response] as const);
    const last = t.findIndex(([c]) => c === protectedCommands[240]!.command);
    // the 240th protected command, answered under the first key, then the renewal
    expect(t[last - 5]![0]).toBe(protectedCommands[239]!.command);
    expect(t[last - 4]).toEqual(['0022C1B60A8308' + VU_CHR, '9000']);
    const [internal, token] = t[last - 3]!;
    expect(internal).toMatch(new RegExp(`^0088000010[0-9A-F]{16}${VU_CHR}80$`));
    expect(token).toMatch(/^[0-9A-F]{256}9000$/);
    const [challenge, rnd3Hex] = t[last - 2]!;
    expect(challenge).toBe('0084000008');
    expect(rnd3Hex).toMatch(/^[0-9A-F]{16}9000$/);
    const [external, externalAnswer] = t[last - 1]!;
    expect(external).toMatch(/^0082000080[0-9A-F]{256}$/);
    expect(externalAnswer).toBe('9000');
    // the new key and counter, from the two cryptograms opened with the parties' own keys (CSM_020, CSM_029)
    const pki = TestPkiG1.of({ seed: TEST_PKI_DEFAULT_SEED });
    const vuMa = decodeCertificate(fromHex(TestPki.of({ seed: TEST_PKI_DEFAULT_SEED }).vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 }).vuMa.certificate));
    const vuG1 = pki.equipment(fromHex(VU_CHR), G1_EQUIPMENT_TYPE.vehicleUnit, vuMa.expirationDate);
    const creds = cardG1Credentials(annaG1);
    const rnd1 = fromHex(internal.slice(10, 26));
    const rnd3 = fromHex(rnd3Hex.slice(0, 16));
    const k1 = openAuthenticationCryptogram({ recipient: vuG1.key, signer: publicKeyOf(creds.card.key), cryptogram: fromHex(token.slice(0, -4)), challenge: rnd1, recipientChr: fromHex(VU_CHR) });
    const cardChr = encodeExtendedSerialNumber(cardExtendedSerialNumber(annaG1));
    const k2 = openAuthenticationCryptogram({ recipient: creds.card.key, signer: publicKeyOf(vuG1.key), cryptogram: fromHex(external.slice(10)), challenge: rnd3, recipientChr: cardChr });
    if (!k1.ok || !k2.ok) throw new Error('a cryptogram of the renewal does not open');
    const kab = xorBytes(k1.k, k2.k);
    const ssc = incrementSsc(toHex(concatBytes(rnd3.subarray(4), rnd1.subarray(4))));
    // the 241st: READ BINARY 1 byte, '97' 01 01, '8E' 04 MAC over SSC′ + 1
    const [command, answer] = t[last]!;
    expect(command.slice(0, 18)).toBe('0CB000000997010' + '18E');
    const mac = cryptographicChecksumG1(kab.subarray(0, 8), kab.subarray(8), fromHex(ssc), concatBytes(padG1(fromHex('0CB00000')), padG1(fromHex('970101'))));
    expect(command).toBe('0CB0000009970101' + '8E04' + toHex(mac).toUpperCase() + '00');
    expect(answer.slice(0, 6)).toBe('810106');
    expect(answer.slice(-4)).toBe('9000');
  });

  it('a long session keeps working: 28 days of a change every 5 minutes and a vehicle a day written on a gen1 card, then written again changed, in one session: the key renewed on the way, every day on the card', () => {
    const { report, writes, device, days } = twentyEightDaysWritten(annaG1, 1);
    expect(report.result).toEqual({ ok: true });
    const protectedCommands = report.transcript.filter((e) => e.command.startsWith('0C')).length;
    const agreements = report.transcript.filter((e) => e.command.startsWith('0088')).length;
    // every protected command answered under a live key: one agreement per 240 of them
    expect(agreements).toBe(Math.ceil(protectedCommands / 240));
    expect(agreements).toBeGreaterThan(1);
    expect([protectedCommands > 240, writes > 60]).toEqual([true, true]);
    const content = decodeCardEfContent(FID.DRIVER_ACTIVITY_DATA, readEf(device.memory, 'tachograph', FID.DRIVER_ACTIVITY_DATA)!, { cardType: 'driver', generation: 1 }, []);
    const record = content!.record as { activityDailyRecords: { activityRecordDate: string; activityDayDistance: number; activityChangeInfo: unknown[] }[] };
    const held = record.activityDailyRecords.map((d) => [d.activityRecordDate.slice(0, 10), d.activityDayDistance, d.activityChangeInfo.length]);
    // the cyclic file keeps the newest days it has room for (Annex IC 148), the last of them the 20th
    expect(held.at(-1)).toEqual(['2026-02-28', 127, 288]);
    expect(held.length).toBeGreaterThan(10);
    expect(held).toEqual(days.slice(-held.length).map((d) => [new Date(d.date).toISOString().slice(0, 10), d.distanceKm, 288]));
    const used = decodeCardEfContent(FID.VEHICLES_USED, readEf(device.memory, 'tachograph', FID.VEHICLES_USED)!, { cardType: 'driver', generation: 1 }, [])!.record as { cardVehicleRecords: ({ vehicleRegistration: { vehicleRegistrationNumber: string } } | null)[] };
    expect(used.cardVehicleRecords.filter((v) => v !== null).map((v) => v!.vehicleRegistration.vehicleRegistrationNumber).slice(-2)).toEqual(['B-RIG-026', 'B-RIG-027']);
  });
});
