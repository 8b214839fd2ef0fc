/** A dependency readiness verifies (`app.readinessChecks`): the database, Redis, ... */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /**
   * False when the API serves without it (every user of it fails open): readiness then stays 200 and
   * names it under `degraded`, so that its outage does not take every instance out of service at once.
   */
  required?: boolean;
}
