export { VehicleTrack, type GeoPoint, type VehicleTrackOptions } from './vehicle-track.ts';
export { createWorld, worldStimuli, type World } from './world.ts';
export { CONSTELLATIONS, DEFAULT_SKY, GnssSky, type ConstellationId, type ConstellationSky, type GnssSkyOptions, type SkyView } from './gnss-sky.ts';
export { sentencesFromWorld } from './receiver-sentences.ts';
export { Tank, EMPTY_COMPARTMENT, MAX_TANK_COMPARTMENTS, type Compartment } from './tank.ts';
