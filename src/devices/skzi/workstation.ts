import type { WorkshopCarrier } from './card-slot.ts';
import type { NewRequest, RequestView } from './data-centre/api.ts';
import type { SkziCertificate, Vehicle } from './schemas.ts';
import { ARM_MESSAGE } from './texts.ts';

/**
 * An answer as the АРМА takes it. `unreachable`: the data centre did not answer (connection refused, no answer
 * within the timeout) or answered 5xx: why, in the rig's words (`connection refused`, `timeout`, `HTTP 503`);
 * such an operation is kept and tried again (workstation-device.ts), nothing of it is lost.
 */
export type ArmResult<T> = { ok: true; status: number; value: T } | { ok: false; status: number; error: string; unreachable?: string };

/** Why a fetch failed, in a few words: undici wraps the socket's error (ECONNREFUSED, ...) in `cause`. */
function transportCause(error: unknown): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  return code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * The activation workstation (АРМА, seed 5.2–5.6) as a client of the data centre's HTTP API (data-centre/api.ts)
 * with a card reader: it writes the request to the workshop card, reads back what the block signed, sends it,
 * follows the request, writes the certificate to the card, uploads the receipt, revokes. It talks HTTP through
 * `fetch`, so the same client works against the msw handlers (tests, the default rig) or a real URL.
 */
export class Workstation {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
    /** How long it waits for an answer before it gives up (wall time: a real server's socket). */
    private readonly timeoutMs = 30_000,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<ArmResult<T>> {
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // 6.3 / 6.4: no answer from the server
      return { ok: false, status: 0, error: ARM_MESSAGE.serverUnreachable, unreachable: transportCause(error) };
    }
    let json: { error?: string } | undefined;
    try {
      json = JSON.parse(text) as { error?: string };
    } catch {
      json = undefined; // a proxy's HTML page, an empty body: not the API's answer
    }
    // a 5xx is the server's trouble, not a verdict on the request: shown as 6.3/6.4 unless the API says why
    if (response.status >= 500) return { ok: false, status: response.status, error: json?.error ?? ARM_MESSAGE.serverUnreachable, unreachable: `HTTP ${response.status}` };
    if (json === undefined) return { ok: false, status: response.status, error: `HTTP ${response.status}: not the data centre's JSON` };
    if (!response.ok) return { ok: false, status: response.status, error: json.error ?? `HTTP ${response.status}` };
    return { ok: true, status: response.status, value: json as T };
  }

  /** АРМП «Создание» (1.4 A): the request for this block, tachograph, vehicle and owner, bound to the card. */
  createRequest(request: NewRequest): Promise<ArmResult<RequestView>> {
    return this.call('POST', '/requests', request);
  }

  /** Every request the data centre holds (6.24: the АРМА finds an unfinished stage 1 among them at login). */
  requests(): Promise<ArmResult<{ requests: RequestView[] }>> {
    return this.call('GET', '/requests');
  }

  request(requestId: string): Promise<ArmResult<RequestView>> {
    return this.call('GET', `/requests/${encodeURIComponent(requestId)}`);
  }

  /** 5.3: the request onto the card in the reader (a signed request left on it is deleted first, 6.39 item 1). */
  writeRequestToCard(carrier: WorkshopCarrier, view: RequestView): WorkshopCarrier {
    const { signedRequest: _deleted, ...rest } = carrier.skzi;
    return { ...carrier, skzi: { ...rest, request: view.request } };
  }

  /**
   * 5.3 item 7: read what the block signed from the card and send it to the ЦОД. No signed request on the card
   * is 6.25's message, with nothing sent. A request sent, or refused as already registered (6.39: the АРМ then
   * deletes it from the card), leaves the card.
   */
  async sendSigned(carrier: WorkshopCarrier): Promise<{ carrier: WorkshopCarrier; result: ArmResult<RequestView> }> {
    const signed = carrier.skzi.signedRequest;
    if (!signed) return { carrier, result: { ok: false, status: 0, error: ARM_MESSAGE.notSigned } };
    const result = await this.call<RequestView>('POST', `/requests/${encodeURIComponent(signed.request.requestId)}/signed`, signed);
    if (result.ok || (!result.ok && result.error === ARM_MESSAGE.alreadyRegistered)) {
      const { signedRequest: _sent, ...rest } = carrier.skzi;
      return { carrier: { ...carrier, skzi: rest }, result };
    }
    return { carrier, result };
  }

  /** «Обработать ошибку» (6.10), with corrected vehicle data (6.39), and send again. */
  handleError(requestId: string, vehicle?: Vehicle): Promise<ArmResult<RequestView>> {
    return this.call('POST', `/requests/${encodeURIComponent(requestId)}/resend`, vehicle ? { vehicle } : {});
  }

  /** 5.4 item 1: the issued certificate onto the card in the reader. */
  async writeCertificateToCard(carrier: WorkshopCarrier, requestId: string): Promise<{ carrier: WorkshopCarrier; result: ArmResult<SkziCertificate> }> {
    const result = await this.call<SkziCertificate>('GET', `/requests/${encodeURIComponent(requestId)}/certificate`);
    if (!result.ok) return { carrier, result };
    return { carrier: { ...carrier, skzi: { ...carrier.skzi, certificate: result.value } }, result };
  }

  uploadReceipt(requestId: string): Promise<ArmResult<RequestView>> {
    return this.call('POST', `/requests/${encodeURIComponent(requestId)}/receipt`);
  }

  /** 5.6 «Отзыв активизации». */
  revoke(nkmFactoryNo: string): Promise<ArmResult<{ revocationNo: string; nkmFactoryNo: string }>> {
    return this.call('POST', '/revocations', { nkmFactoryNo });
  }

  registry<T>(table: 'tachographs' | 'nkm' | 'vehicles' | 'cards', id: string): Promise<ArmResult<T>> {
    return this.call('GET', `/registry/${table}/${encodeURIComponent(id)}`);
  }

  putRegistry<T>(table: 'tachographs' | 'nkm' | 'vehicles' | 'cards', id: string, record: T): Promise<ArmResult<T>> {
    return this.call('PUT', `/registry/${table}/${encodeURIComponent(id)}`, record);
  }
}
