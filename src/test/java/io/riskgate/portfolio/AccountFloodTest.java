package io.riskgate.portfolio;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.check.PreTradeEngine;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 10: a caller invents account ids by the ten thousand. Every one is decided and audited, and
 * the accounts kept in memory (books with their locks, and cached policy assignments) never exceed the bound.
 * Counted in accounts, not heap bytes. (10,000 ids at about 0.8 ms a check keep the test near 10 s; the bound
 * does not depend on how many come.)
 */
class AccountFloodTest {

    private static final int MAX_RESIDENT = 500;
    private static final int ACCOUNTS = 10_000;

    @Test
    void tenThousandInventedAccountsKeepAtMostTheBoundInMemory() {
        AtomicLong nanos = new AtomicLong();
        Engine e = new Engine(new Portfolio.Residency(Duration.ofMinutes(10), MAX_RESIDENT, nanos::get));
        Portfolio portfolio = e.rt.portfolio();
        long rejected = 0;
        long highestBooks = 0;
        long highestAssignments = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            // no equity: the cheapest check there is, still decided under the account's lock and audited
            ObjectNode r = set(Requests.seed001(), "account", "flood-" + i);
            r.remove("equity");
            Decision d = e.check(r);
            if (d.outcome() == Outcome.REJECTED && d.codes().equals(List.of(PreTradeEngine.NO_EQUITY))) {
                rejected++;
            }
            if (i % 250 == 249) {
                highestBooks = Math.max(highestBooks, portfolio.residentBooks());
                highestAssignments = Math.max(highestAssignments, e.rt.accountPolicies().cachedAccounts());
            }
        }
        assertThat(rejected).isEqualTo(ACCOUNTS);
        assertThat(portfolio.bookLoads()).isEqualTo(ACCOUNTS);
        assertThat(highestBooks).isEqualTo(MAX_RESIDENT);
        assertThat(highestAssignments).isEqualTo(MAX_RESIDENT);
        assertThat(portfolio.residentBooks()).isEqualTo(MAX_RESIDENT);
        assertThat(e.rt.accountPolicies().cachedAccounts()).isEqualTo(MAX_RESIDENT);
        // and once they are idle, none of them
        nanos.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(portfolio.residentBooks()).isZero();
        assertThat(e.rt.accountPolicies().cachedAccounts()).isZero();
    }
}
