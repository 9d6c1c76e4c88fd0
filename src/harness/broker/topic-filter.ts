/** MQTT topic filters (MQTT 3.1.1 §4.7): `+` matches one level, `#` (last) matches any number of levels. */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false; // [MQTT-4.7.2-1]
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Whether a granted filter allows subscribing to a requested filter: every topic the requested filter can
 * match must be matched by the granted one. A wildcard in the request needs the same or a wider wildcard
 * in the grant at that level.
 */
export function filterCovers(granted: string, requested: string): boolean {
  const g = granted.split('/');
  const r = requested.split('/');
  for (let i = 0; i < g.length; i++) {
    if (g[i] === '#') return true;
    if (i >= r.length) return false;
    if (r[i] === '#') return false;
    if (g[i] === '+') continue;
    if (r[i] !== g[i]) return false;
  }
  return g.length === r.length;
}
