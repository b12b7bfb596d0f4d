/**
 * A stop that a second caller joins instead of repeating: while one is under way (a step and the
 * teardown, the supervisor and the registry), another signals nothing again — to many daemons a
 * second SIGTERM means "quit now" — but shares the first one's outcome, whose signal and grace hold.
 */
export class CoalescedStop<T> {
  private inFlight: Promise<T> | undefined;

  get isUnderway(): boolean {
    return this.inFlight !== undefined;
  }

  /** The stop under way, to await before beginning anew. */
  get underway(): Promise<T> | undefined {
    return this.inFlight;
  }

  run(stop: () => Promise<T>): Promise<T> {
    this.inFlight ??= stop().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }
}
