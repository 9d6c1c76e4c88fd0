import type { DeviceKind } from '../harness/devices/device-kind.ts';
import { benchActuatorKind } from './bench-actuator/index.ts';
import { gnssKind } from './gnss/index.ts';
import { ideKind } from './ide/index.ts';
import { keypadKind } from './keypad/index.ts';
import { labPsuKind } from './lab-psu/index.ts';
import { motionSensorKind } from './motion-sensor/index.ts';
import { sealKind } from './seal/index.ts';
import { operatorKind } from './seal-operator/index.ts';
import { radioChannelKind, readerKind } from './seal-reader/index.ts';
import { relayBoardKind } from './relay-board/index.ts';
import { serialSwitchKind } from './serial-switch/index.ts';
import { vuKind } from './vu/index.ts';
import { replayKind } from './replay/index.ts';
import { dsrcVuKind } from './dsrc/index.ts';
import { dsrcReaderKind } from './dsrc-reader/index.ts';
import { ndtpServerKind } from './ndtp-server/index.ts';
import { ndtpTerminalKind } from './ndtp-terminal/index.ts';
import { skziTachographKind } from './skzi/index.ts';
import { cardPortKind } from './card-port/index.ts';
import { workstationKind } from './skzi/workstation-device.ts';
import { serviceToolKind } from './skzi/service-tool.ts';
import { dataCentreKind } from './skzi/data-centre/device.ts';

/**
 * The product's device kinds. Each device lives in its own folder (vu/, motion-sensor/, gnss/, dsrc/,
 * seal/) and is added here when it lands.
 */
export const deviceKinds: DeviceKind<any>[] = [
  ideKind,
  vuKind,
  gnssKind,
  motionSensorKind,
  sealKind,
  readerKind,
  radioChannelKind,
  operatorKind,
  serialSwitchKind,
  // the bench (issue 13): the rig's actuator, and the bench hardware emulated for a stand-in device under test
  benchActuatorKind,
  relayBoardKind,
  labPsuKind,
  // issue 13: a recorded device under test played back (README "Record and replay")
  replayKind,
  keypadKind,
  // issue 16: DSRC remote communication (App. 14)
  dsrcVuKind,
  dsrcReaderKind,
  // issue 19: an alcohol tanker's NDTP terminal and its collection server (seed 001)
  ndtpTerminalKind,
  ndtpServerKind,
  // issue 20: a Russian tachograph's СКЗИ (НКМ) block activation
  skziTachographKind,
  // issue 15: a tachograph card on a serial path, for a smart-card emulator board in a real VU's slot (hardware/card-slot-bridge.md)
  cardPortKind,
  workstationKind,
  serviceToolKind,
  dataCentreKind,
];
