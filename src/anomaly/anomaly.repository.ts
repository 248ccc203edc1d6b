import { Injectable, Optional } from '@nestjs/common';
import { NO_METRICS, UnipayMetrics } from '../observability/unipay-metrics';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/unique-violation';
import { Page, pageOf, PageRequest, TimeRange, withinTime } from '../database/page';
import { AnomalyKind, AnomalyStatus } from './anomaly-kind';
import { Anomaly } from './anomaly.entity';

export interface AnomalySeen {
  kind: AnomalyKind;
  orderNo: string;
  refundNo?: string;
  detail: string;
}

export interface AnomalyFilter extends TimeRange {
  orderNo?: string;
  kind?: AnomalyKind;
  status?: AnomalyStatus;
}

/** Anomalies: recorded when seen (once per order and kind), listed and resolved by an operator. */
@Injectable()
export class AnomalyRepository {
  constructor(
    @InjectRepository(Anomaly) private readonly anomalies: Repository<Anomaly>,
    @Optional() metrics: UnipayMetrics = NO_METRICS,
  ) {
    metrics.countOpenAnomaliesWith(() => this.anomalies.countBy({ status: AnomalyStatus.OPEN }));
  }

  /**
   * Records that the anomaly was seen now: a new open one, or one more sighting of the one
   * already there. A resolved one stays resolved; its sightings still count.
   */
  async record(seen: AnomalySeen, now = new Date(), manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(Anomaly) : this.anomalies;
    const subject = { kind: seen.kind, orderNo: seen.orderNo, refundNo: seen.refundNo ?? '' };
    const detail = seen.detail.slice(0, 1000);
    const again = () =>
      repository
        .createQueryBuilder()
        .update()
        .set({ lastSeenTime: now, detail, occurrences: () => 'occurrences + 1' })
        .where('kind = :kind AND order_no = :orderNo AND refund_no = :refundNo', subject)
        .execute();
    if ((await again()).affected === 1) return;
    try {
      await repository.insert({ ...subject, status: AnomalyStatus.OPEN, detail, occurrences: 1, firstSeenTime: now, lastSeenTime: now, resolvedBy: null, resolvedTime: null, resolutionNote: null });
    } catch (error) {
      // Another caller recorded it first: this is one more sighting.
      if (!isUniqueViolation(error)) throw error;
      await again();
    }
  }

  findById(id: number): Promise<Anomaly | null> {
    return this.anomalies.findOneBy({ id });
  }

  list(filter: AnomalyFilter, page: PageRequest): Promise<Page<Anomaly>> {
    const query = this.anomalies.createQueryBuilder('a');
    if (filter.orderNo) query.andWhere('a.order_no = :orderNo', { orderNo: filter.orderNo });
    if (filter.kind) query.andWhere('a.kind = :kind', { kind: filter.kind });
    if (filter.status) query.andWhere('a.status = :status', { status: filter.status });
    return pageOf(withinTime(query, 'last_seen_time', filter), page);
  }

  /** Marks an open anomaly resolved; false when it was not open. */
  async resolve(id: number, by: string, note: string, now = new Date()): Promise<boolean> {
    const result = await this.anomalies.update(
      { id, status: AnomalyStatus.OPEN },
      { status: AnomalyStatus.RESOLVED, resolvedBy: by, resolvedTime: now, resolutionNote: note },
    );
    return result.affected === 1;
  }
}
