import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from '../../harness/rig/rig-runtime.ts';
import { vuWithIdePlan } from './vu-test-rig.ts';

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);

describe('the data memory file as the VU starts', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('stops the rig at start, naming the path, when the VU could not save there (it was silent until the first save)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-file-'));
    const file = join(dir, 'no-such-dir', 'vu.dm');
    await expect(Rig.start(vuWithIdePlan('vu-file', { dataMemoryFile: file }), { start: T0 })).rejects.toThrow(
      `VU data memory file ${file}: unwritable: the VU could not save its data memory: cannot create a file in ${join(dir, 'no-such-dir')} (ENOENT`,
    );
  });

  it("removes the temporary files a kill mid-save left beside its file, not another file's", async () => {
    dir = mkdtempSync(join(tmpdir(), 'vu-file-'));
    const file = join(dir, 'vu.dm');
    const first = await Rig.start(vuWithIdePlan('vu-file', { dataMemoryFile: file }), { start: T0 });
    await first.clock.advance(1000);
    await first.close();
    // a run killed between writing its temporary file and renaming it (pid beyond any Linux pid_max: not running)
    writeFileSync(join(dir, '.vu.dm.9999999.tmp'), 'half a memory');
    writeFileSync(join(dir, '.other.dm.9999999.tmp'), 'another VU');
    const again = await Rig.start(vuWithIdePlan('vu-file', { dataMemoryFile: file }), { start: T0 + 60_000 });
    try {
      expect(readdirSync(dir).sort()).toEqual(['.other.dm.9999999.tmp', 'vu.dm']);
      expect(existsSync(join(dir, `.vu.dm.${process.pid}.tmp`))).toBe(false);
    } finally {
      await again.close();
    }
  });
});
