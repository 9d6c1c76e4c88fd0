import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverAdapters, mergeDiscovery, renderDiscovery, sysfsPortLister, type ListedPort } from './discover.ts';
import type { HardwareMap } from './hardware-map.ts';

/**
 * No adapter is plugged in here: the port list is injected (as SerialPort.list() gives it) and /dev/serial
 * is a directory of real symlinks to stand-in tty files, as udev makes them.
 */

let dir: string;
let dev: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'discover-'));
  dev = join(dir, 'dev');
  await mkdir(join(dev, 'serial', 'by-id'), { recursive: true });
  await mkdir(join(dev, 'serial', 'by-path'), { recursive: true });
  for (const tty of ['ttyUSB0', 'ttyUSB1', 'ttyUSB2', 'ttyUSB10', 'ttyS0']) await writeFile(join(dev, tty), '');
  const link = (kind: string, name: string, tty: string) => symlink(`../../${tty}`, join(dev, 'serial', kind, name));
  await link('by-id', 'usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0', 'ttyUSB0');
  await link('by-id', 'usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0', 'ttyUSB1');
  // two serial-less CH340s share one by-id name; udev points it at the last one plugged in
  await link('by-id', 'usb-1a86_USB2.0-Serial-if00-port0', 'ttyUSB10');
  await link('by-path', 'pci-0000:00:14.0-usb-0:1:1.0-port0', 'ttyUSB0');
  await link('by-path', 'pci-0000:00:14.0-usb-0:2:1.0-port0', 'ttyUSB1');
  await link('by-path', 'pci-0000:00:14.0-usb-0:3:1.0-port0', 'ttyUSB2');
  await link('by-path', 'pci-0000:00:14.0-usb-0:4:1.0-port0', 'ttyUSB10');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What SerialPort.list() reports for this bench (udevadm's ID_* properties). */
function listed(): ListedPort[] {
  return [
    { path: join(dev, 'ttyUSB10'), vendorId: '1a86', productId: '7523', manufacturer: '1a86' },
    { path: join(dev, 'ttyS0') }, // the board's own UART: no USB ids
    { path: join(dev, 'ttyUSB0'), vendorId: '0403', productId: '6001', serialNumber: 'A10KXYZ', manufacturer: 'FTDI', pnpId: 'usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0' },
    { path: join(dev, 'ttyUSB2'), vendorId: '1A86', productId: '7523', manufacturer: '1a86' },
    { path: join(dev, 'ttyUSB1'), vendorId: '10c4', productId: 'ea60', serialNumber: '0001', manufacturer: 'Silicon Labs' },
  ];
}

const discover = () => discoverAdapters({ listPorts: async () => listed(), serialLinksDir: join(dev, 'serial') });

describe('rig bench discover', () => {
  it('lists the USB-serial adapters with their by-id and by-path links, serial number, ids, manufacturer and chip', async () => {
    const found = await discover();
    const byId = (name: string) => join(dev, 'serial', 'by-id', name);
    const byPath = (n: number) => join(dev, 'serial', 'by-path', `pci-0000:00:14.0-usb-0:${n}:1.0-port0`);
    expect(found).toStrictEqual([
      { tty: join(dev, 'ttyUSB0'), byId: byId('usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0'), byPath: byPath(1), serialNumber: 'A10KXYZ', vendorId: '0403', productId: '6001', manufacturer: 'FTDI', chip: 'FTDI FT232R' },
      { tty: join(dev, 'ttyUSB1'), byId: byId('usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0'), byPath: byPath(2), serialNumber: '0001', vendorId: '10c4', productId: 'ea60', manufacturer: 'Silicon Labs', chip: 'Silicon Labs CP210x' },
      { tty: join(dev, 'ttyUSB2'), byPath: byPath(3), vendorId: '1a86', productId: '7523', manufacturer: '1a86', chip: 'WCH CH340' },
      { tty: join(dev, 'ttyUSB10'), byId: byId('usb-1a86_USB2.0-Serial-if00-port0'), byPath: byPath(4), vendorId: '1a86', productId: '7523', manufacturer: '1a86', chip: 'WCH CH340' },
    ]);
  });

  it('writes a map with generated names: by-id where there is a serial number, by-path (the socket) where there is none', async () => {
    const { map, rows } = await mergeDiscovery(await discover());
    expect(map.adapters.map((a) => [a.name, a.path.slice(dev.length + 1), a.loopback])).toStrictEqual([
      ['ft232r-A10KXYZ', 'serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0', false],
      ['cp210x-0001', 'serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0', false],
      ['ch340-1', 'serial/by-path/pci-0000:00:14.0-usb-0:3:1.0-port0', false],
      ['ch340-2', 'serial/by-path/pci-0000:00:14.0-usb-0:4:1.0-port0', false],
    ]);
    expect(rows.map((r) => r.status)).toStrictEqual(['new', 'new', 'new', 'new']);
    expect(map.adapters[0]).toStrictEqual({ name: 'ft232r-A10KXYZ', path: join(dev, 'serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0'), loopback: false, serialNumber: 'A10KXYZ', vendorId: '0403', productId: '6001', manufacturer: 'FTDI' });
  });

  it('keeps the names (and loopback flags) of a map written before, matching by serial number, or by path where there is none', async () => {
    const before: HardwareMap = {
      version: 1,
      adapters: [
        // an adapter unplugged today stays in the map
        { name: 'psu-host', path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_B77-if00-port0', serialNumber: 'B77', loopback: false },
        // the FTDI moved to another socket and tty: its serial number finds it, its old path is replaced
        { name: 'vu-download', path: join(dev, 'ttyUSB7'), serialNumber: 'A10KXYZ', loopback: true },
        // a person's path that still leads to the adapter stays
        { name: 'vu-sensor', path: join(dev, 'ttyUSB1'), serialNumber: '0001', loopback: false },
        // a CH340 by its socket
        { name: 'relay-host', path: join(dev, 'serial/by-path/pci-0000:00:14.0-usb-0:4:1.0-port0'), loopback: false },
      ],
    };
    const { map, rows } = await mergeDiscovery(await discover(), before);
    expect(map.adapters.map((a) => [a.name, a.path.replace(dev, '/dev'), a.loopback])).toStrictEqual([
      ['psu-host', '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_B77-if00-port0', false],
      ['vu-download', '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0', true],
      ['vu-sensor', '/dev/ttyUSB1', false],
      ['relay-host', '/dev/serial/by-path/pci-0000:00:14.0-usb-0:4:1.0-port0', false],
      ['ch340-1', '/dev/serial/by-path/pci-0000:00:14.0-usb-0:3:1.0-port0', false],
    ]);
    expect(map.adapters[3]).toStrictEqual({ name: 'relay-host', path: join(dev, 'serial/by-path/pci-0000:00:14.0-usb-0:4:1.0-port0'), loopback: false, vendorId: '1a86', productId: '7523', manufacturer: '1a86' });
    expect(rows.map((r) => [r.entry.name, r.status])).toStrictEqual([
      ['vu-download', 'kept'],
      ['vu-sensor', 'kept'],
      ['ch340-1', 'new'],
      ['relay-host', 'kept'],
      ['psu-host', 'absent'],
    ]);
    const shown = rows.map((r) => ({ ...r, entry: { ...r.entry, path: r.entry.path.replace(dev, '/dev') } }));
    expect(renderDiscovery(shown).split('\n')).toStrictEqual([
      'name         path                                                           tty       serial   vid:pid    manufacturer  chip',
      'vu-download  /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0  ttyUSB0   A10KXYZ  0403:6001  FTDI          FTDI FT232R          kept its name',
      'vu-sensor    /dev/ttyUSB1                                                   ttyUSB1   0001     10c4:ea60  Silicon Labs  Silicon Labs CP210x  kept its name',
      'ch340-1      /dev/serial/by-path/pci-0000:00:14.0-usb-0:3:1.0-port0         ttyUSB2   -        1a86:7523  1a86          WCH CH340            new',
      'relay-host   /dev/serial/by-path/pci-0000:00:14.0-usb-0:4:1.0-port0         ttyUSB10  -        1a86:7523  1a86          WCH CH340            kept its name',
      'psu-host     /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_B77-if00-port0      -         B77      -          -             -                    not plugged in',
    ]);
  });
});

describe('the sysfs port list (hosts without udevadm)', () => {
  it("reads each USB tty's ids, serial number and manufacturer from the USB device above it", async () => {
    const sys = join(dir, 'sys');
    const usb = join(sys, 'devices', 'pci0000:00', 'usb1', '1-2');
    const port = join(usb, '1-2:1.0', 'ttyUSB0');
    await mkdir(join(port, 'tty', 'ttyUSB0'), { recursive: true });
    await mkdir(join(sys, 'class', 'tty'), { recursive: true });
    for (const [file, text] of [['idVendor', '0403\n'], ['idProduct', '6015\n'], ['serial', 'DK0AB1CD\n'], ['manufacturer', 'FTDI\n']]) await writeFile(join(usb, file!), text!);
    await mkdir(join(sys, 'devices', 'virtual', 'tty', 'ttyS0'), { recursive: true });
    await symlink(join(port, 'tty', 'ttyUSB0'), join(sys, 'class', 'tty', 'ttyUSB0'));
    await symlink(port, join(port, 'tty', 'ttyUSB0', 'device'));
    await symlink(join(sys, 'devices', 'virtual', 'tty', 'ttyS0'), join(sys, 'class', 'tty', 'ttyS0'));
    expect(await sysfsPortLister(sys, '/dev')()).toStrictEqual([{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015', serialNumber: 'DK0AB1CD', manufacturer: 'FTDI' }]);
  });
});
