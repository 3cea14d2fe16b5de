/**
 * A one-line progress bar on stderr, redrawn in place (no dependency). On a terminal the line is rewritten;
 * when stderr is not a TTY (CI logs) a line is printed at most every few seconds instead.
 */
export class Progress {
  private label = '';
  private total = 0;
  private done = 0;
  private extra = '';
  private started = 0;
  private lastPrint = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  start(label: string, total: number, extra = '') {
    this.finishLine();
    this.label = label;
    this.total = total;
    this.done = 0;
    this.extra = extra;
    this.started = Date.now();
    this.lastPrint = 0;
    this.draw(true);
  }

  update(done: number, extra?: string) {
    this.done = done;
    if (extra !== undefined) this.extra = extra;
    this.draw(false);
  }

  /** Prints a message on its own line, then redraws the bar. */
  log(message: string) {
    if (this.tty && this.label) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${message}\n`);
    if (this.label) this.draw(true);
  }

  stop(extra?: string) {
    if (!this.label) return;
    if (extra !== undefined) this.extra = extra;
    this.done = Math.max(this.done, this.total);
    this.draw(true);
    this.finishLine();
  }

  private finishLine() {
    if (this.label && this.tty) process.stderr.write('\n');
    this.label = '';
  }

  private draw(force: boolean) {
    if (!this.label) return;
    const now = Date.now();
    if (!force && now - this.lastPrint < (this.tty ? 100 : 5_000)) return;
    this.lastPrint = now;
    const share = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const width = 28;
    const filled = Math.round(share * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const elapsed = ((now - this.started) / 1000).toFixed(0);
    const line = `${this.label.padEnd(30)} ${bar} ${String(Math.round(share * 100)).padStart(3)}%  ${elapsed}s  ${this.extra}`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 160) - 1)}`);
    else process.stderr.write(`${line}\n`);
  }
}

export const progress = new Progress();
