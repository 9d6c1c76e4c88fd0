export { ENTRY_TYPE, entryKindOf, type EntryTypeName } from './entry-type.ts';
export { placeEntryOf, placeEntrySchema, type PlaceEntry, type PlaceEntryArgs } from './place-entry.ts';
export { placeRecord, placeRecords, placeRefusalRecords } from './place-records.ts';
export { createPlaces, enterPlace, placesOfDay, PLACE_CAPACITY, type PlaceMoment, type PlaceRefusal, type PlaceRefusalReason, type PlacesState, type VuPlace } from './places.ts';
export { NO_REGION, REGION_COUNTRY, REGIONS, regionByAlpha, regionByNumeric, type Region } from './regions.ts';
