package io.riskgate.check;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.portfolio.AccountView;
import io.riskgate.testing.Engine;
import io.riskgate.testing.TestRuntime;
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
        // equity 2,000: max exposure 0.8 x 2,000 = 1,600; risk 1% = 20 over 2,250 = 0.00889 BTC = 444 notional,
        // so three orders fit (1,333) and a fourth gets only the remaining 267; BTC limit 0.25 x 2,000 = 500, so
        // spread the orders over many assets.
        String[] symbols = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "DOTUSDT", "AVAXUSDT", "LTCUSDT"};
        int checks = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < checks; i++) {
            String symbol = symbols[i % symbols.length];
            futures.add(pool.submit(() -> {
                go.await();
                return engine.check(set(set(set(engine.seed001(), "account", account), "symbol", symbol),
                        "equity", 2_000.0));
            }));
        }
        go.countDown();
        double approvedNotional = 0;
        for (Future<Decision> f : futures) {
            Decision d = f.get(60, TimeUnit.SECONDS);
            approvedNotional += d.notional();
        }
        pool.shutdown();
        assertThat(approvedNotional).isLessThanOrEqualTo(1_600.0 + 1e-9);
        assertThat(engine.rt.portfolio().view(account).exposure()).isLessThanOrEqualTo(1_600.0 + 1e-9);
    }
}
