import type { TransferRequest } from '../../protocols/app7/index.ts';
import type { RigClock } from '../clock/index.ts';
import type { LinkEnd } from '../links/index.ts';
import type { Rig } from '../rig/rig-runtime.ts';
import type { RigAccess } from '../devices/device-kind.ts';
import { downloadVu, type DownloadOptions, type DownloadResult } from './client.ts';
import { clientOptionsOf } from './client-options.ts';

/**
 * Downloads a VU of a running rig through the rig's end of its download line (the IDE's port), emulated or
 * external alike. On a virtual clock the rig's time is driven while the session runs, 100 ms at a time; on
 * a wall clock the session simply takes the time it takes.
 */
export async function downloadFromRig(rig: Rig, device: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const port = `${device}.download`;
  const peer = rig.peerOf(port);
  if (!peer) throw new Error(`${port} is on no link in rig ${rig.plan.name}: put the rig's IDE (kind: ide) on it`);
  // The rig's own download of an emulated VU: in operational mode, where Annex IC 12 refuses a download to
  // an IDE, the VU lets the rig read (src/devices/vu/download/access.ts). A real VU gives what its slots open.
  const actor = rig.actor(device);
  actor?.send({ type: 'vu.rigRead', on: true });
  try {
    return await downloadThrough(peer, rig.clock, { ...ideSettingsOf(rig, peer), ...options });
  } finally {
    actor?.send({ type: 'vu.rigRead', on: false });
  }
}

/**
 * The timing and retries the rig file sets for the download equipment whose port `end` is (the `ide` kind's
 * options, client-options.ts); App. 7's own where the end is no IDE's.
 */
export function ideSettingsOf(rig: Pick<RigAccess, 'device'>, end: LinkEnd): DownloadOptions {
  const device = rig.device(end.name.split('.')[0]!);
  return clientOptionsOf(device?.kind === 'ide' ? device.options : {});
}

/** Runs a download session from a rig-driven end, driving a virtual clock while it lasts. */
export async function downloadThrough(end: LinkEnd, clock: RigClock, options: DownloadOptions = {}): Promise<DownloadResult> {
  if (!end.local) throw new Error(`${end.name} is not driven by the rig: put the rig's IDE (kind: ide) on the VU's download line`);
  let outcome: { result?: DownloadResult; error?: unknown } | undefined;
  downloadVu(end, clock, options).then(
    (result) => (outcome = { result }),
    (error) => (outcome = { error }),
  );
  while (!outcome) {
    if (clock.mode === 'virtual') await clock.advance(100);
    else await new Promise((resolve) => setImmediate(resolve));
  }
  if (outcome.error) throw outcome.error;
  return outcome.result!;
}

export { fullDownloadRequests } from './download-format.ts';
