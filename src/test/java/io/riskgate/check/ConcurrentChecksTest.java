package io.riskgate.check;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.decision.Decision;
import io.riskgate.portfolio.AccountView;
import io.riskgate.testing.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many simultaneous checks on one account never overshoot a limit: each approval reserves its slot and exposure
 * under the account's lock before the next check reads them.
 */
class ConcurrentChecksTest {

    @Test
    void simultaneousChecksOnOneAccountApproveExactlyTheFreeSlots() throws Exception {
        Engine engine = new Engine();
        String account = Engine.freshAccount();
        int threads = 16;
        int checks = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < checks; i++) {
            // alternate symbols so asset concentration is not what binds: BTC and ETH
            String symbol = i % 2 == 0 ? "BTCUSDT" : "ETHUSDT";
            futures.add(pool.submit(() -> {
                go.await();
                return engine.check(set(set(engine.seed001(), "account", account), "symbol", symbol));
            }));
        }
        go.countDown();
        List<Decision> decisions = new ArrayList<>();
        for (Future<Decision> f : futures) {
            decisions.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        // max_concurrent_trades 4: exactly four approvals, every other check refused for the slots
        long approved = decisions.stream().filter(Decision::approved).count();
        assertThat(approved).isEqualTo(4);
        assertThat(decisions.stream().filter(d -> !d.approved()))
                .allSatisfy(d -> assertThat(d.codes()).containsExactly("MAX_CONCURRENT_TRADES"));
        AccountView v = engine.rt.portfolio().view(account);
        assertThat(v.reservations()).hasSize(4);
        // 4 x 500 = 2,000 <= 8,000 max exposure
        assertThat(v.exposure()).isEqualTo(2_000.0);
    }

    @Test
    void simultaneousChecksNeverOvershootExposure() throws Exception {
        Engine engine = new Engine();
        String account = Engine.freshAccount();
        // Seed 001's order on equity 2,000 (policies/default.yaml):
        //   risk 1% x 2,000 = 20 over a stop 1.5 x ATR 1,500 = 2,250 away: 0.0088889 BTC x 50,000 = 444.44 notional
        //   max exposure 0.80 x 2,000 = 1,600: three full orders take 3 x 444.44 = 1,333.33, a fourth is cut to the
        //   remaining 1,600 - 1,333.33 = 266.67, and then no headroom is left
        //   max concurrent trades 4: the fourth approval also takes the last slot
        // so exactly 4 approvals whatever the order the threads run in: 444.44, 444.44, 444.44 and 266.67, together
        // 1,600 (quantities are rounded down to 8 decimals: 0.00888888 BTC = 444.444, so within a cent). Every order
        // is on an asset of its own (asset concentration 0.25 x 2,000 = 500 > 444.44 never binds), so the sizes do
        // not depend on which thread wins.
        int checks = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < checks; i++) {
            String symbol = String.format("A%02dUSDT", i);
            futures.add(pool.submit(() -> {
                go.await();
                return engine.check(set(set(set(engine.seed001(), "account", account), "symbol", symbol),
                        "equity", 2_000.0));
            }));
        }
        go.countDown();
        List<Decision> decisions = new ArrayList<>();
        for (Future<Decision> f : futures) {
            decisions.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        List<Decision> approved = decisions.stream().filter(Decision::approved).toList();
        double full = 20.0 / 2_250 * 50_000;
        assertThat(approved).extracting(Decision::notional).usingComparatorForType(
                        (a, b) -> Math.abs(a - b) < 0.01 ? 0 : Double.compare(a, b), Double.class)
                .containsExactlyInAnyOrder(full, full, full, 1_600 - 3 * full);
        assertThat(decisions.stream().filter(d -> !d.approved())).hasSize(checks - 4)
                .allSatisfy(d -> assertThat(d.codes()).contains("MAX_CONCURRENT_TRADES"));
        assertThat(engine.rt.portfolio().view(account).exposure()).isCloseTo(1_600.0, within(0.01))
                .isLessThanOrEqualTo(1_600.0);
    }
}
