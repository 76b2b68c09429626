// What a suite's beforeAll made, undone in its afterAll. beforeAll can fail half-way and leave the
// variables it sets unset; guarding them in afterAll (`t?.destroy()`) would mean typing them as
// possibly unset for every test that reads them. Instead each undo is registered as soon as its
// thing exists: the tests' variables stay typed as set, and afterAll undoes only what was made.
export class Teardown {
  private readonly undos: Array<() => unknown> = [];

  /** Returns `made`, to be undone by `undo`: `t = teardown.add(newTestEngine(), (e) => e.destroy())`. */
  add<T>(made: T, undo: (made: T) => unknown): T {
    this.undos.push(() => undo(made));
    return made;
  }

  /**
   * Undoes what was added, the last made first. Every undo runs even when one before it failed
   * (as nested try/finally would); the failure, or all of them, is thrown afterwards.
   */
  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const undo of this.undos.splice(0).reverse()) {
      try {
        await undo();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} undos failed`);
    if (failures.length === 1) throw failures[0];
  }
}
