/**
 * A background pass over every instance run shortly after start-up and then every `everyMs` (the
 * orphan sweep, the job janitor), on unref'd timers that keep no process alive and hold nothing
 * between passes. A pass never starts while another runs; `stop` cancels the timers and waits for the
 * one under way, which should check `stopped` between instances.
 */
export class PeriodicPass {
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private stopped_ = false;

  /** `pass(first)`: `first` is the start-up pass. A rejection goes to `onError`. */
  constructor(
    private readonly pass: (first: boolean) => Promise<void>,
    private readonly timing: { startDelayMs: number; everyMs: number },
    private readonly onError: (error: unknown) => void,
  ) {}

  get stopped(): boolean {
    return this.stopped_;
  }

  start(): void {
    const first = setTimeout(() => this.run(true), this.timing.startDelayMs);
    const every = setInterval(() => this.run(false), this.timing.everyMs);
    first.unref();
    every.unref();
    this.timers.push(first, every);
  }

  async stop(): Promise<void> {
    this.stopped_ = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.running;
  }

  private run(first: boolean): void {
    if (this.running || this.stopped_) return;
    this.running = this.pass(first)
      .catch(this.onError)
      .finally(() => (this.running = null));
  }
}
