/** Sets `key` in a cache of at most `max` entries, dropping the oldest entry first when full. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
