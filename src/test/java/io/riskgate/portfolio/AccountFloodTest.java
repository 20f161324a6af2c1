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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 10: callers invent account ids by the ten thousand. Every one is decided and audited, and
 * the accounts kept in memory (books with their locks, and cached policy assignments) never exceed the bound by
 * more than the books in use at that moment (one per caller: a book in use is never evicted). Counted in
 * accounts, not heap bytes. Four callers at once, as a flood from several connections comes; their checks share
 * the group commit's batches (about 8 s alone against 11 s for one caller; the bound does not depend on how many
 * come).
 */
class AccountFloodTest {

    private static final int MAX_RESIDENT = 500;
    private static final int ACCOUNTS = 10_000;

    /** Callers at once: their checks share the group commit's batches, as a flood from many connections would. */
    private static final int CALLERS = 4;

    @Test
    void tenThousandInventedAccountsKeepAtMostTheBoundInMemory() throws Exception {
        AtomicLong nanos = new AtomicLong();
        Engine e = new Engine(new Portfolio.Residency(Duration.ofMinutes(10), MAX_RESIDENT, nanos::get));
        Portfolio portfolio = e.rt.portfolio();
        AtomicLong rejected = new AtomicLong();
        AtomicLong highestBooks = new AtomicLong();
        AtomicLong highestAssignments = new AtomicLong();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            int caller = c;
            done.add(callers.submit(() -> {
                for (int i = caller; i < ACCOUNTS; i += CALLERS) {
                    // no equity: the cheapest check there is, still decided under the account's lock and audited
                    ObjectNode r = set(Requests.seed001(), "account", "flood-" + i);
                    r.remove("equity");
                    Decision d = e.check(r);
                    if (d.outcome() == Outcome.REJECTED && d.codes().equals(List.of(PreTradeEngine.NO_EQUITY))) {
                        rejected.incrementAndGet();
                    }
                    if (i % 250 < CALLERS) {
                        highestBooks.accumulateAndGet(portfolio.residentBooks(), Math::max);
                        highestAssignments.accumulateAndGet(e.rt.accountPolicies().cachedAccounts(), Math::max);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
        }
        callers.shutdown();
        assertThat(rejected.get()).isEqualTo(ACCOUNTS);
        assertThat(portfolio.bookLoads()).isEqualTo(ACCOUNTS);
        // the bound, plus at most one book per caller in use at that moment: a book in use is never evicted
        assertThat(highestBooks.get()).isBetween((long) MAX_RESIDENT, (long) MAX_RESIDENT + CALLERS);
        assertThat(highestAssignments.get()).isBetween((long) MAX_RESIDENT, (long) MAX_RESIDENT + CALLERS);
        assertThat(portfolio.residentBooks()).isEqualTo(MAX_RESIDENT);
        assertThat(e.rt.accountPolicies().cachedAccounts()).isEqualTo(MAX_RESIDENT);
        // and once they are idle, none of them
        nanos.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(portfolio.residentBooks()).isZero();
        assertThat(e.rt.accountPolicies().cachedAccounts()).isZero();
    }
}
