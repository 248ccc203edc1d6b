import { HttpStatus, Injectable } from '@nestjs/common';
import { AnomalyRepository } from '../anomaly/anomaly.repository';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { Page } from '../database/page';
import { MerchantNotifier } from '../notify/merchant-notifier.service';
import { NotificationRepository } from '../notify/notification.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import { PayRepairRecordRepository } from '../sync/pay-repair-record.repository';
import { PaySyncOutcome } from '../sync/pay-sync-outcome';
import { PaySyncRecordRepository } from '../sync/pay-sync-record.repository';
import { SyncSource } from '../sync/pay-sync-status';
import { PaySyncService } from '../sync/pay-sync.service';
import { RefundSyncOutcome } from '../sync/refund/refund-sync-outcome';
import { RefundSyncService } from '../sync/refund/refund-sync.service';
import { AnomalyQuery, EventQuery, ListQuery, NotificationQuery, RepairRecordQuery, SyncRecordQuery } from './dto/admin-queries';
import { OperatorRefundSyncDto, OperatorSyncDto } from './dto/operator-sync.dto';
import { ResolveAnomalyDto } from './dto/resolve-anomaly.dto';

/** A record on the wire: times in epoch seconds, the claim bookkeeping left out. */
export type WireRecord = Record<string, unknown>;

function wire(record: object, leaveOut: readonly string[] = ['leaseOwner', 'leaseUntil']): WireRecord {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([field]) => !leaveOut.includes(field))
      .map(([field, value]) => [field, value instanceof Date ? Math.floor(value.getTime() / 1000) : value]),
  );
}

function wirePage<T extends object>(page: Page<T>, view: (item: T) => WireRecord = (item) => wire(item)): Page<WireRecord> {
  return { ...page, items: page.items.map(view) };
}

/** The filters of a list query, its times as Dates. */
function filterOf<Q extends ListQuery>(query: Q): Omit<Q, 'page' | 'size' | 'from' | 'to'> & { from?: Date; to?: Date } {
  const { page: _page, size: _size, from, to, ...rest } = query;
  return { ...rest, from: from === undefined ? undefined : new Date(from * 1000), to: to === undefined ? undefined : new Date(to * 1000) };
}

/** A notification on the wire: `tries` counts its scheduled tries, `attempts` lists every request made. */
function notFound(what: string): UnipayException {
  return new UnipayException(UnipayErrorCode.NOT_FOUND, `${what}不存在`, HttpStatus.NOT_FOUND);
}

/**
 * The operator's view and levers: reads go through the modules' repositories, actions
 * through their services (a sync through PaySyncService, a resend through the notifier).
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly syncRecords: PaySyncRecordRepository,
    private readonly repairRecords: PayRepairRecordRepository,
    private readonly notifications: NotificationRepository,
    private readonly notifier: MerchantNotifier,
    private readonly anomalies: AnomalyRepository,
    private readonly events: OutboxRepository,
    private readonly paySync: PaySyncService,
    private readonly refundSync: RefundSyncService,
  ) {}

  async syncRecordsOf(query: SyncRecordQuery): Promise<Page<WireRecord>> {
    return wirePage(await this.syncRecords.list(filterOf(query), query));
  }

  async repairRecordsOf(query: RepairRecordQuery): Promise<Page<WireRecord>> {
    return wirePage(await this.repairRecords.list(filterOf(query), query));
  }

  async notificationsOf(query: NotificationQuery): Promise<Page<WireRecord>> {
    const page = await this.notifications.list(filterOf(query), query);
    const tries = await this.notifications.triesOf(page.items.map((item) => item.id));
    return wirePage(page, (item) => ({ ...wire(item), attempts: tries.filter((entry) => entry.notificationId === item.id).map((entry) => wire(entry)) }));
  }

  async notification(id: number): Promise<WireRecord> {
    const notification = await this.notifications.findById(id);
    if (!notification) throw notFound('通知');
    const tries = await this.notifications.triesOf([id]);
    return { ...wire(notification), attempts: tries.map((entry) => wire(entry)) };
  }

  async resend(id: number): Promise<WireRecord> {
    const result = await this.notifier.resend(id);
    if (result.kind === 'not_found') throw notFound('通知');
    if (result.kind === 'busy') throw new UnipayException(UnipayErrorCode.CONFLICT, '通知正在发送，请稍后重试', HttpStatus.CONFLICT);
    return wire(result.try);
  }

  async anomaliesOf(query: AnomalyQuery): Promise<Page<WireRecord>> {
    return wirePage(await this.anomalies.list(filterOf(query), query));
  }

  async resolveAnomaly(id: number, dto: ResolveAnomalyDto): Promise<WireRecord> {
    if (!(await this.anomalies.findById(id))) throw notFound('异常');
    if (!(await this.anomalies.resolve(id, dto.resolvedBy, dto.note))) {
      throw new UnipayException(UnipayErrorCode.CONFLICT, '异常已处理', HttpStatus.CONFLICT);
    }
    return wire((await this.anomalies.findById(id)) as object);
  }

  async eventsOf(query: EventQuery): Promise<Page<WireRecord>> {
    return wirePage(await this.events.list(filterOf(query), query), (event) => wire(event, ['leaseOwner', 'leaseUntil', 'payload']));
  }

  /** Syncs one order now, as the merchant endpoint and the job do, recorded with source `operator`. */
  sync(dto: OperatorSyncDto): Promise<PaySyncOutcome> {
    return this.paySync.sync({ orderNo: dto.orderNo, bizOrderNo: dto.bizOrderNo, source: SyncSource.OPERATOR });
  }

  syncRefund(dto: OperatorRefundSyncDto): Promise<RefundSyncOutcome> {
    return this.refundSync.sync({ refundNo: dto.refundNo, bizRefundNo: dto.bizRefundNo, source: SyncSource.OPERATOR });
  }
}
