/** A slot given back when an answer ends: 'finish' and 'close' may both come, and only the first counts. */
export function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}
