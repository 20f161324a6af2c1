package io.riskgate.audit;

import java.util.List;

/** One page of audited decisions, newest first. */
public record AuditPage(List<AuditRecord> items, int page, int size, long total) {
}
