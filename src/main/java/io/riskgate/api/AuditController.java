package io.riskgate.api;

import io.riskgate.audit.AuditChain;
import io.riskgate.audit.AuditStore;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.InvalidRequestException;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The decision log's hash chain, for auditors: its head (to keep elsewhere as an anchor) and a walk that names every
 * record changed, removed or inserted (docs/architecture.md, Tamper evidence).
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final AuditChain chain;

    AuditController(AuditStore audit) {
        this.chain = audit.chain();
    }

    /** The chain's last record; 404 while no decision was recorded. */
    @GetMapping("/head")
    AuditChain.Head head() {
        return chain.head().orElseThrow(() -> new NotFoundException("no decision is in the chain yet"));
    }

    /** Walks the chain; {@code anchor} ({@code SEQ:HASH} from an earlier head) also catches a cut or rewritten chain. */
    @GetMapping("/verify")
    AuditChain.Report verify(@RequestParam Optional<String> anchor) {
        Optional<AuditChain.Head> a;
        try {
            a = anchor.map(AuditChain.Head::parse);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("anchor", e.getMessage());
        }
        return chain.verify(a);
    }
}
