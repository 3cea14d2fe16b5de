/**
 * Values built the first time they are read. The Temporal worker's reusable V8 context evaluates the workflow
 * bundle's modules again for every workflow it loads, so whatever a module builds at its top level (zod schemas
 * above all) every case pays for, even the parts it never uses (issue #19,
 * bench/results/regression-2026-12-02.md). Tables of schemas of which a case needs one or two are built per
 * member on first use instead. In the sandbox each workflow has its own evaluation of the module, so what is
 * kept here is never shared between workflows.
 */

/** A value built the first time it is asked for, then kept. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/** An object whose members are each built the first time they are read, then kept (its keys are there from the start). */
export function builtOnFirstUse<Builders extends Record<string, () => unknown>>(
  builders: Builders,
): { readonly [K in keyof Builders]: ReturnType<Builders[K]> } {
  const members = {} as { [K in keyof Builders]: ReturnType<Builders[K]> };
  for (const key of Object.keys(builders)) {
    const build = once(builders[key] as () => unknown);
    Object.defineProperty(members, key, { get: build, enumerable: true });
  }
  return members;
}
