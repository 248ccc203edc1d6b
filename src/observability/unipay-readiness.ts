/** Why a part is not ready, in a sentence for the operator; undefined when it is. */
export type ReadinessProblem = string | undefined;

export type ReadinessCheck = () => ReadinessProblem | Promise<ReadinessProblem>;

/**
 * The port a module reports its readiness through: `GET /health/ready` asks every registered
 * check, beside the database's own. The sweep registers one (its rounds keep finishing). Like
 * the metrics, optional: without ObservabilityModule a service gets NO_READINESS.
 */
export abstract class UnipayReadiness {
  abstract register(name: string, check: ReadinessCheck): void;
}

/** The checks registered in this application, asked by the health controller. */
export class ReadinessRegistry extends UnipayReadiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(name) || ['database', 'migrations'].includes(name)) throw new Error(`bad readiness check name: ${name}`);
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks];
  }
}

class NoReadiness extends UnipayReadiness {
  register(): void {}
}

export const NO_READINESS: UnipayReadiness = new NoReadiness();
