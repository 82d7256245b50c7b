/** Polls `read` until `done` says so (bounded by count, not by a timed assertion): for background work such as jobs. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 500): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
