/** The sentences a GNSS receiver gives at one instant: the combined RMC and a GSA per constellation. */
export interface ReceiverSentences {
  /** Rig time the sentences describe. */
  at: number;
  rmc: string;
  /** One GSA per constellation, in record order 02..06 (GNS_6). */
  gsa: string[];
}
