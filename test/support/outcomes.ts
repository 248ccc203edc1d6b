import { PaySyncOutcome } from '../../src/sync/pay-sync-outcome';

/** The message an outcome carries (failed, anomaly, refund, no such order); undefined otherwise. */
export function messageOf(outcome: PaySyncOutcome): string | undefined {
  return 'message' in outcome ? outcome.message : undefined;
}

/** The repair number of a repaired outcome; undefined otherwise. */
export function repairNoOf(outcome: PaySyncOutcome): string | undefined {
  return outcome.kind === 'repaired' ? outcome.repair.repairNo : undefined;
}
