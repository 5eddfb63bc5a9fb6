/**
 * AMQP topic-exchange matching, for the in-process broker: words are separated by dots, `*`
 * stands for exactly one word and `#` for zero or more.
 */
export function matchesTopic(pattern: string, routingKey: string): boolean {
  const want = pattern.split('.');
  const words = routingKey.split('.');
  // matched[j]: the pattern words seen so far can consume exactly the first j routing-key words.
  let matched = Array.from({ length: words.length + 1 }, (_, j) => j === 0);
  for (const part of want) {
    const next = new Array<boolean>(words.length + 1).fill(false);
    for (let j = 0; j <= words.length; j++) {
      if (part === '#') next[j] = matched[j] || (j > 0 && next[j - 1]);
      else next[j] = j > 0 && matched[j - 1] && (part === '*' || part === words[j - 1]);
    }
    matched = next;
  }
  return matched[words.length];
}
