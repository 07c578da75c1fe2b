/**
 * Facts under a number (an hour, a day) and up to three texts or numbers, found through nested maps: a lookup per
 * line builds no key string (joining the parts and hashing the joined text cost more than the counting itself),
 * and the facts come out in the order they were first made, as from one flat map.
 */

type Key = string | number;
type Level<V> = Map<Key, V | Level<V>>;

export interface KeyedFacts<V> {
  /** The fact under (n, a, b, c), or undefined. */
  find(n: number, a: Key, b: Key, c: Key): V | undefined;
  /** Files a new fact under (n, a, b, c); find returned undefined for them. */
  add(n: number, a: Key, b: Key, c: Key, fact: V): void;
  /** How many facts since the last take. */
  size(): number;
  /** The facts in the order they were made, and a fresh start. */
  take(): V[];
}

export function createKeyedFacts<V>(): KeyedFacts<V> {
  let numbers = new Map<number, Level<V>>();
  let list: V[] = [];
  // Lines come in time order: most lookups fall in the hour or day of the one before.
  let lastNumber = Number.NaN;
  let lastLevel: Level<V> | undefined;

  const numberLevel = (n: number, make: boolean): Level<V> | undefined => {
    if (n === lastNumber) return lastLevel;
    let level = numbers.get(n);
    if (level === undefined) {
      if (!make) return undefined;
      level = new Map();
      numbers.set(n, level);
    }
    lastNumber = n;
    lastLevel = level;
    return level;
  };

  const child = (level: Level<V>, key: Key): Level<V> => {
    let next = level.get(key) as Level<V> | undefined;
    if (next === undefined) {
      next = new Map();
      level.set(key, next);
    }
    return next;
  };

  return {
    find(n, a, b, c) {
      const byA = numberLevel(n, false);
      const byB = byA?.get(a) as Level<V> | undefined;
      const byC = byB?.get(b) as Level<V> | undefined;
      return byC?.get(c) as V | undefined;
    },
    add(n, a, b, c, fact) {
      const byA = numberLevel(n, true)!;
      child(child(byA, a), b).set(c, fact);
      list.push(fact);
    },
    size: () => list.length,
    take() {
      const taken = list;
      numbers = new Map();
      list = [];
      lastNumber = Number.NaN;
      lastLevel = undefined;
      return taken;
    },
  };
}
