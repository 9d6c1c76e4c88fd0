import type { EcKeyPair } from '../../../crypto/pki/ec-keys.ts';
import { canonicalBytes, dataCentreTestKey, requestSignatureValid, signCertificate } from '../signing.ts';
import { signedRequestSchema, type ActivationRequest, type SkziCertificate } from '../schemas.ts';
import { ARM_MESSAGE, ARM_SECTION } from '../texts.ts';
import {
  newRequestSchema,
  REGISTRY_TABLES,
  resendSchema,
  revocationSchema,
  type RegistryTable,
  type RequestView,
} from './api.ts';
import { processingError, type Registry } from './registry-rules.ts';

/** An answer of the API: the HTTP status and the JSON body. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface DataCentreOptions {
  /** The rig clock's now (ms). */
  now: () => number;
  /** 6.34: a certificate takes 1 hour to 1 day; the rig's data centre answers after this long (default 1 h). */
  processingMs?: number;
  key?: EcKeyPair;
  registry?: Partial<Registry>;
}

interface StoredRequest {
  view: RequestView;
  signature?: string;
  certificate?: SkziCertificate;
}

const ok = (body: unknown, status = 200): ApiAnswer => ({ status, body });
const fail = (status: number, error: string, issues?: string[]): ApiAnswer => ({ status, body: issues ? { error, issues } : { error } });
const issuesOf = (error: { issues: { path: PropertyKey[]; message: string }[] }) => error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);

/**
 * The data centre (ЦОД) and the ФБУ «Росавтотранс» registry behind the API of api.ts, in memory, on the rig
 * clock. A request is processed `processingMs` after it was sent, when it is next looked at (the rig clock
 * only moves when the rig moves it). Every refusal of bad input answers before anything changes.
 */
export class DataCentre {
  readonly registry: Registry;
  private readonly requests = new Map<string, StoredRequest>();
  /** Signatures already sent: a second sending of the same signed request is a replay (6.23). */
  private readonly signaturesSeen = new Set<string>();
  private nextRequest = 1;
  private nextCertificate = 1;
  private nextRevocation = 1;
  private readonly key: EcKeyPair;
  private readonly processingMs: number;

  constructor(private readonly options: DataCentreOptions) {
    this.key = options.key ?? dataCentreTestKey();
    this.processingMs = options.processingMs ?? 3_600_000;
    this.registry = { tachographs: {}, nkm: {}, vehicles: {}, cards: {}, ...structuredClone(options.registry ?? {}) };
  }

  /** The requests it holds, in the order they were created (the rig reads each through `getRequest`). */
  requestIds(): string[] {
    return [...this.requests.keys()];
  }

  get publicKey(): string {
    return this.key.publicPoint;
  }

  /** One operation of api.ts ROUTES. */
  handle(operationId: string, params: Record<string, string>, body: unknown): ApiAnswer {
    switch (operationId) {
      case 'createRequest':
        return this.createRequest(body);
      case 'listRequests':
        return ok({ requests: [...this.requests.values()].map((r) => (this.process(r), r.view)) });
      case 'getRequest':
        return this.withRequest(params.requestId, (r) => ok(r.view));
      case 'submitSigned':
        return this.submitSigned(params.requestId ?? '', body);
      case 'resendRequest':
        return this.resend(params.requestId ?? '', body);
      case 'getCertificate':
        return this.withRequest(params.requestId, (r) => (r.certificate ? ok(r.certificate) : fail(404, 'no certificate issued')));
      case 'uploadReceipt':
        return this.withRequest(params.requestId, (r) => {
          if (r.view.status !== 'awaiting-receipt') return fail(409, `the request is ${r.view.status}, not awaiting the receipt`);
          r.view = { ...r.view, status: 'closed', section: undefined };
          return ok(r.view);
        });
      case 'revoke':
        return this.revoke(body);
    }
    const registry = /^(get|put|list)-(tachographs|nkm|vehicles|cards)$/.exec(operationId);
    if (registry?.[1] === 'list') return ok({ records: Object.values(this.registry[registry[2] as RegistryTable]) });
    if (registry) return registry[1] === 'get' ? this.getRecord(registry[2] as RegistryTable, params.id ?? '') : this.putRecord(registry[2] as RegistryTable, params.id ?? '', body);
    return fail(404, `no operation ${operationId}`);
  }

  private withRequest(requestId: string | undefined, then: (r: StoredRequest) => ApiAnswer): ApiAnswer {
    const stored = requestId === undefined ? undefined : this.requests.get(requestId);
    if (!stored) return fail(404, `no request ${requestId}`);
    this.process(stored);
    return then(stored);
  }

  private createRequest(body: unknown): ApiAnswer {
    const parsed = newRequestSchema.safeParse(body);
    if (!parsed.success) return fail(400, 'malformed body', issuesOf(parsed.error));
    const input = parsed.data;
    if (!this.registry.nkm[input.nkmFactoryNo]) return fail(404, ARM_MESSAGE.notInDatabase); // 6.22
    // 6.23: the vehicle already has a valid activation
    const vehicle = this.registry.vehicles[input.vehicle.vin];
    if (vehicle?.linkedTachograph) return fail(409, ARM_MESSAGE.alreadyRegistered);
    const request: ActivationRequest = { requestId: `R-${String(this.nextRequest++).padStart(6, '0')}`, createdAt: this.options.now(), ...input };
    const view: RequestView = { request, status: 'created', vehicle: input.vehicle };
    this.requests.set(request.requestId, { view });
    return ok(view, 201);
  }

  private submitSigned(requestId: string, body: unknown): ApiAnswer {
    const parsed = signedRequestSchema.safeParse(body);
    if (!parsed.success) return fail(400, ARM_MESSAGE.notSigned, issuesOf(parsed.error)); // 6.25
    const signed = parsed.data;
    const stored = this.requests.get(requestId);
    if (!stored) return fail(404, `no request ${requestId}`);
    const nkm = this.registry.nkm[signed.nkm.factoryNo];
    if (!nkm) return fail(404, ARM_MESSAGE.notInDatabase); // 6.22: an unknown block
    // a replay: this signature was sent before, or the request already went (6.23: «при попытке отправить подписанный запрос»)
    if (this.signaturesSeen.has(signed.signature) || stored.view.status !== 'created') return fail(409, ARM_MESSAGE.alreadyRegistered);
    // 6.25: not signed by the block the registry knows, or it signs another request than this one
    const signsThisRequest = Buffer.from(canonicalBytes(signed.request)).equals(Buffer.from(canonicalBytes(stored.view.request)));
    if (!signsThisRequest || signed.nkm.publicKey !== nkm.publicKey || !requestSignatureValid(signed, nkm.publicKey)) return fail(422, ARM_MESSAGE.notSigned);
    this.signaturesSeen.add(signed.signature);
    stored.signature = signed.signature;
    stored.view = { ...stored.view, status: 'sent', section: ARM_SECTION.sent, sentAt: this.options.now() };
    return ok(stored.view);
  }

  private resend(requestId: string, body: unknown): ApiAnswer {
    const parsed = resendSchema.safeParse(body ?? {});
    if (!parsed.success) return fail(400, 'malformed body', issuesOf(parsed.error));
    return this.withRequest(requestId, (stored) => {
      if (stored.view.status !== 'error') return fail(409, `the request is ${stored.view.status}, not in «${ARM_SECTION.errors}»`);
      const { error: _handled, ...rest } = stored.view;
      stored.view = { ...rest, vehicle: parsed.data.vehicle ?? stored.view.vehicle, status: 'sent', section: ARM_SECTION.sent, sentAt: this.options.now() };
      return ok(stored.view);
    });
  }

  /** The ЦОД's work on a sent request, once its time has come: the registry's verdict, then a certificate or an error. */
  private process(stored: StoredRequest): void {
    const view = stored.view;
    if (view.status !== 'sent' || view.sentAt === undefined || this.options.now() < view.sentAt + this.processingMs) return;
    const { request } = view;
    const input = { cardNumber: request.cardNumber, nkmFactoryNo: request.nkmFactoryNo, tachographNo2: request.tachographNo2, vehicle: view.vehicle };
    const error = processingError(this.registry, input, this.options.now());
    if (error) {
      stored.view = { ...view, status: 'error', section: ARM_SECTION.errors, error };
      return;
    }
    const nkm = this.registry.nkm[request.nkmFactoryNo]!;
    stored.certificate = signCertificate(this.key, {
      serial: `C-${String(this.nextCertificate++).padStart(6, '0')}`,
      requestId: request.requestId,
      nkmFactoryNo: nkm.factoryNo,
      nkmPublicKey: nkm.publicKey,
      tachographNo2: request.tachographNo2,
      vehicle: view.vehicle,
      issuedAt: view.sentAt + this.processingMs,
    });
    // the links the registry now shows: vehicle ↔ tachograph ↔ block
    this.registry.nkm[nkm.factoryNo] = { ...nkm, status: 'active' };
    const vehicle = this.registry.vehicles[view.vehicle.vin]!;
    this.registry.vehicles[vehicle.vin] = { ...vehicle, vrn: view.vehicle.vrn, pts: view.vehicle.pts, linkedTachograph: request.tachographNo2 };
    stored.view = { ...view, status: 'awaiting-receipt', section: ARM_SECTION.awaitingReceipt, certificateSerial: stored.certificate.serial };
  }

  private revoke(body: unknown): ApiAnswer {
    const parsed = revocationSchema.safeParse(body);
    if (!parsed.success) return fail(400, 'malformed body', issuesOf(parsed.error));
    for (const stored of this.requests.values()) this.process(stored);
    const { nkmFactoryNo } = parsed.data;
    const nkm = this.registry.nkm[nkmFactoryNo];
    if (!nkm || nkm.status !== 'active') return fail(404, ARM_MESSAGE.notInDatabase); // 6.22: revoked before, or never activated
    const request = [...this.requests.values()].find((r) => r.view.request.nkmFactoryNo === nkmFactoryNo && (r.view.status === 'awaiting-receipt' || r.view.status === 'closed'));
    if (request?.view.status === 'awaiting-receipt') return fail(409, ARM_MESSAGE.revocationAwaitingReceipt); // 6.43
    const revocationNo = String(this.nextRevocation++).padStart(7, '0');
    if (!nkm.activationRecorded) return fail(409, ARM_MESSAGE.revocationNotInRegistry(revocationNo)); // 6.44
    // 5.6: break vehicle ↔ tachograph and tachograph ↔ block; the block is out of service for good
    const tachographNo2 = nkm.linkedTachograph;
    for (const vehicle of Object.values(this.registry.vehicles)) {
      if (tachographNo2 !== null && vehicle.linkedTachograph === tachographNo2) this.registry.vehicles[vehicle.vin] = { ...vehicle, linkedTachograph: null };
    }
    if (tachographNo2 !== null && this.registry.tachographs[tachographNo2]) this.registry.tachographs[tachographNo2] = { ...this.registry.tachographs[tachographNo2]!, linkedNkm: null };
    this.registry.nkm[nkmFactoryNo] = { ...nkm, linkedTachograph: null, status: 'revoked' };
    if (request) request.view = { ...request.view, status: 'revoked', section: undefined };
    return ok({ revocationNo, nkmFactoryNo });
  }

  private getRecord(table: RegistryTable, id: string): ApiAnswer {
    const record = (this.registry[table] as Record<string, unknown>)[id];
    return record ? ok(record) : fail(404, ARM_MESSAGE.notInDatabase);
  }

  private putRecord(table: RegistryTable, id: string, body: unknown): ApiAnswer {
    const { key, schema } = REGISTRY_TABLES[table];
    const parsed = schema.safeParse(body);
    if (!parsed.success) return fail(400, 'malformed body', issuesOf(parsed.error));
    if ((parsed.data as Record<string, unknown>)[key] !== id) return fail(400, `the record's ${key} is not ${id}`);
    (this.registry[table] as Record<string, unknown>)[id] = parsed.data;
    return ok(parsed.data);
  }
}
