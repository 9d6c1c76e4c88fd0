import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { driverCardDownload } from './driver-card-image.ts';
import { anna } from './test-cards.ts';
import { encodeCardTlv, readCardTlvs, type CardTlv } from '../../protocols/card-files/card-download-file.ts';
import { verifyCardDownload } from '../../protocols/card-files/verify-card-download.ts';
import { FID, TAG_APPENDIX } from '../../protocols/card-files/card-file-ids.ts';

/**
 * The verifier knows what a download of each card carries (DDP_035 over App. 2): a file with EFs deleted or
 * re-tagged, whose remaining signatures all verify, must fail. Each case starts from the rig's gen2 driver
 * card file (24 signed EFs), genuine and verifying (the positive control).
 */
const AT = Date.UTC(2026, 2, 2, 8);
const roots = [fromHex(TestPki.of().erca.certificate)];
const eur = [TestPkiG1.of().eurPublicKeyBytes()];
const genuine = readCardTlvs(driverCardDownload(anna));
const fileOf = (tlvs: readonly CardTlv[]) => Uint8Array.from(tlvs.flatMap((t) => [...encodeCardTlv(t)]));
const verify = (tlvs: readonly CardTlv[], options = {}) => {
  const v = verifyCardDownload(fileOf(tlvs), { rootCertificates: roots, europeanPublicKeys: eur }, { at: AT, ...options });
  const failed = v.verdicts.filter((x) => x.status !== 'verified' && x.status !== 'unsigned').map((x) => `${x.block}: ${x.reason}`);
  return { ok: v.ok, verified: v.verdicts.filter((x) => x.status === 'verified').map((x) => x.block), problems: [...v.problems, ...failed] };
};
const is = (fid: number, appendix: number) => (t: CardTlv) => t.fid === fid && t.appendix === appendix;
const without = (...drop: ((t: CardTlv) => boolean)[]) => genuine.filter((t) => !drop.some((d) => d(t)));

describe('card file verification knows which EFs a card must carry and which must be signed (DDP_035, DDP_046)', () => {
  it('the genuine file verifies: 24 EFs, 11 in DF Tachograph and 13 in DF Tachograph_G2', () => {
    const r = verify(genuine, { generation: 2 });
    expect(r.problems).toEqual([]);
    expect(r.verified).toHaveLength(24);
  });

  it('an EF re-tagged as a signature: 23 signatures still verify, but its data is gone and the pair is broken', () => {
    const tlvs = genuine.map((t) => (is(FID.CURRENT_USAGE, TAG_APPENDIX.DATA_G2)(t) ? { ...t, appendix: TAG_APPENDIX.SIGNATURE_G2 } : t));
    const r = verify(tlvs);
    expect(r.verified).toHaveLength(23);
    expect(r).toMatchObject({
      ok: false,
      problems: [
        'byte 57774: signature of DF Tachograph_G2 EF Current_Usage does not directly follow its data (DDP_046)',
        'byte 57798: signature of DF Tachograph_G2 EF Current_Usage does not directly follow its data (DDP_046)',
        "DF Tachograph_G2 EF Current_Usage missing: a driver card's download carries it (DDP_035, App. 2 TCS_152)",
      ],
    });
  });

  it('an EF deleted with its signature', () => {
    expect(verify(without(is(FID.EVENTS_DATA, TAG_APPENDIX.DATA_G1), is(FID.EVENTS_DATA, TAG_APPENDIX.SIGNATURE_G1))).problems).toEqual([
      "DF Tachograph EF Events_Data missing: a driver card's download carries it (DDP_035, App. 2 TCS_148)",
    ]);
    // the EFs DDP_035 names only as "the rest": Current_Usage and Driving_Licence_Info are asked for too (README)
    expect(verify(without(is(FID.DRIVING_LICENCE_INFO, TAG_APPENDIX.DATA_G2), is(FID.DRIVING_LICENCE_INFO, TAG_APPENDIX.SIGNATURE_G2))).problems).toEqual([
      "DF Tachograph_G2 EF Driving_Licence_Info missing: a driver card's download carries it (DDP_035, App. 2 TCS_152)",
    ]);
  });

  it('every signed EF deleted, the certificates left: 0 of 24 checked is no verification', () => {
    const certificatesOnly = genuine.filter((t) => [FID.ICC, FID.IC, FID.CARD_CERTIFICATE, FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE].includes(t.fid as never));
    const r = verify(certificatesOnly);
    expect(r.verified).toEqual([]);
    expect(r.ok).toBe(false);
    // no EF Application_Identification: the card type comes from the verified certificates (driver, both DFs)
    expect(r.problems).toHaveLength(24);
    expect(r.problems[0]).toBe("DF Tachograph EF Application_Identification missing: a driver card's download carries it (DDP_035, App. 2 TCS_148)");
    expect(r.problems[23]).toBe("DF Tachograph_G2 EF GNSS_Places missing: a driver card's download carries it (DDP_035, App. 2 TCS_152)");
  });

  it('an EF whose signature was deleted, and a signature moved away from its data', () => {
    expect(verify(without(is(FID.PLACES, TAG_APPENDIX.SIGNATURE_G1))).problems).toEqual(['DF Tachograph EF Places: no signature follows its data (DDP_046)']);
    const places = genuine.findIndex(is(FID.PLACES, TAG_APPENDIX.SIGNATURE_G1));
    const moved = [...genuine];
    const [signature] = moved.splice(places, 1);
    moved.splice(places + 1, 0, signature!);
    // Places' signature now sits between Current_Usage's data and signature: both pairs are broken
    expect(verify(moved).problems).toEqual([
      'byte 25625: signature of DF Tachograph EF Places does not directly follow its data (DDP_046)',
      'byte 25758: signature of DF Tachograph EF Current_Usage does not directly follow its data (DDP_046)',
      'DF Tachograph EF Places: no signature follows its data (DDP_046)',
      'DF Tachograph EF Current_Usage: no signature follows its data (DDP_046)',
    ]);
  });

  it('the DF Tachograph_G2 part deleted: a gen1 card file, unless the caller knows the card is gen2', () => {
    const g1Only = genuine.filter((t) => t.appendix < TAG_APPENDIX.DATA_G2);
    expect(verify(g1Only)).toMatchObject({ ok: true, problems: [] });
    expect(verify(g1Only, { generation: 2 }).problems).toEqual(["no DF Tachograph_G2 files: a gen2 card's download carries them (DDP_035)"]);
  });

  it('EFs a download leaves out or the card type does not have, certificates signed, an EF twice, DFs out of order', () => {
    const extra = (fid: number, appendix: number) => ({ fid, appendix, value: Uint8Array.of(1) });
    const at = genuine.findIndex(is(FID.IDENTIFICATION, TAG_APPENDIX.DATA_G1));
    const insert = (tlvs: CardTlv[]) => [...genuine.slice(0, at), ...tlvs, ...genuine.slice(at)];
    // EF Card_Download is not part of a download (DDP_035); a file that carries it signed has the signature checked, unsigned it is not judged
    expect(verify(insert([extra(FID.CARD_DOWNLOAD, 0), extra(FID.CARD_DOWNLOAD, 1)])).problems).toEqual(['DF Tachograph EF Card_Download: signature verification failed']);
    expect(verify(insert([extra(FID.CARD_DOWNLOAD, 0)]))).toMatchObject({ ok: true, problems: [] });
    expect(verify(insert([extra(FID.CALIBRATION, 0), extra(FID.CALIBRATION, 1)])).problems).toEqual([
      'DF Tachograph EF Calibration: not an EF of a driver card (App. 2 TCS_148)',
      'DF Tachograph EF Calibration: signature verification failed',
    ]);
    const caAt = genuine.findIndex(is(FID.CA_CERTIFICATE, TAG_APPENDIX.DATA_G1));
    expect(verify([...genuine.slice(0, caAt + 1), extra(FID.CA_CERTIFICATE, 1), ...genuine.slice(caAt + 1)]).problems).toEqual([
      'DF Tachograph EF CA_Certificate: a certificate is downloaded unsigned (DDP_035)',
    ]);
    const identification = genuine.filter((t) => t.fid === FID.IDENTIFICATION && t.appendix < 2);
    expect(verify(insert(identification)).problems).toEqual(['byte 870: DF Tachograph EF Identification comes twice']);
    const icc = genuine.find(is(FID.ICC, 0))!;
    expect(verify([...genuine.filter((t) => t !== icc), icc]).problems).toEqual(["byte 66793: MF EF ICC comes after DF Tachograph_G2's files (DDP_035: EF ICC and IC, DF Tachograph, then DF Tachograph_G2)"]);
  });
});
