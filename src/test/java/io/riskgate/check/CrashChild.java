package io.riskgate.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.database.LocalDatabase;
import io.riskgate.decision.Decision;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The process {@link CrashTest} kills: riskgate over an H2 file database behind a Hikari pool, as the service runs it,
 * with eight threads checking seed 001's order on twenty accounts of its round, filling every approval and closing
 * every other fill. Each answer it received is printed (one line, flushed) only after the call returned: what is
 * printed was acknowledged.
 * <pre>D decisionId account outcome | F tradeId account | C tradeId account</pre>
 * With {@code -Dcrash.marks=true}, also marks ({@link #mark}).
 *
 * <p>Arguments: the database directory (or a PostgreSQL JDBC URL), the policies and rules directories, the round, and (after the first round)
 * the account the killed round held most on. Before it serves, a restarted child reports what it read back for that
 * account and checks one more order on it: {@code R decisionId account outcome held}, where held is the open trades
 * and unfilled approvals of its book.
 */
public final class CrashChild {

    static final int ACCOUNTS = 20;
    static final int THREADS = 8;
    /** Sets apart the client order ids of instances serving the same accounts (system property crash.tag). */
    static final String TAG = System.getProperty("crash.tag", "");

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        // a test JVM killed before it could kill this child (a build stopped by hand) must not leave it running
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        Thread orphaned = new Thread(() -> {
            while (parent.isAlive()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
            }
            Runtime.getRuntime().halt(3);
        }, "crash-child-parent-watch");
        orphaned.setDaemon(true);
        orphaned.start();
        int round = Integer.parseInt(args[3]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        HikariDataSource db = new HikariDataSource();
        if (args[0].startsWith("jdbc:postgresql:")) {
            // one of several instances on a PostgreSQL database (InstanceKillTest)
            db.setJdbcUrl(args[0]);
            db.setUsername("postgres");
        } else {
            // the service's database: prepared by LocalDatabase (owner-only files, the password in db.secret)
            String url = "jdbc:h2:file:" + Path.of(args[0]).resolve("db");
            db.setJdbcUrl(url);
            db.setUsername("sa");
            db.setPassword(LocalDatabase.prepare(url, "sa", ""));
        }
        RiskgateRuntime rt = RiskgateRuntime.start(Path.of(args[1]), Path.of(args[2]), "default", db,
                // seed 001's event time plus a minute: fills and closes land inside the reservations' lifetime
                Clock.fixed(TestRuntime.T0.plusSeconds(60), ZoneOffset.UTC), new SimpleMeterRegistry());
        if (Boolean.getBoolean("crash.outbox")) {
            // the bus's outbox on, with no publisher: every event is committed and none sent when the kill comes
            // (BusCrashTest)
            rt.outbox().enable();
        }
        if (args.length > 4) {
            String account = args[4];
            int held = rt.portfolio().withAccount(account, b -> b.positions().size() + b.reservations().size());
            Decision d = rt.engine().check(order(account, "after-restart-" + round));
            out.println("R " + d.decisionId() + " " + account + " " + d.outcome() + " " + held);
        }
        out.println("READY");
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread worker = new Thread(() -> work(rt, out, round, thread), "crash-worker-" + t);
            worker.start();
        }
        if (Boolean.getBoolean("crash.marks")) {
            // CrashTest: marks on the traded symbol meanwhile, so that kills land in marks' writes too
            new Thread(() -> mark(rt, out, round), "crash-marker").start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    static ObjectNode order(String account, String clientOrderId) {
        return Requests.set(Requests.set(Requests.seed001(), "account", account), "clientOrderId", clientOrderId);
    }

    /**
     * Marks BTCUSDT every 20 ms, a millisecond later each time (the rounds a 20 s span apart, so that each round's
     * marks come after the last round's), between 52,300 and 52,350: past +1R (seed 001's fill at 50,000, 1R =
     * 1.5 x ATR 1,500 = 2,250, so +1R = 52,250) and short of +2R (54,500), so each trade's first mark moves its stop
     * to breakeven (one MOVE_STOP instruction, audited) and every later mark changes nothing of it and moves the
     * accounts' mark rows. Prints {@code m round k time price} before the call, {@code M round k time price} once it
     * returned (acknowledged), then {@code I instructionId tradeId} for each instruction it answered.
     */
    private static void mark(RiskgateRuntime rt, PrintStream out, int round) {
        for (int k = 1; ; k++) {
            java.time.Instant at = TestRuntime.T0.plusSeconds(60).plusMillis(20_000L * (round - 1) + k);
            double price = k % 2 == 0 ? 52_350 : 52_300;
            String line = round + " " + k + " " + at + " " + price;
            out.println("m " + line);
            List<io.riskgate.exits.ExitInstruction> issued = rt.exits().mark(io.riskgate.market.Mark.at("BTCUSDT",
                    price, at));
            out.println("M " + line);
            issued.forEach(i -> out.println("I " + i.instructionId() + " " + i.tradeId()));
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    private static void work(RiskgateRuntime rt, PrintStream out, int round, int thread) {
        Random random = new Random(round * 100L + thread);
        for (int n = 0; ; n++) {
            String account = "crash-" + round + "-" + random.nextInt(ACCOUNTS);
            Decision d = rt.engine().check(order(account, TAG + "r" + round + "t" + thread + "-" + n));
            out.println("D " + d.decisionId() + " " + account + " " + d.outcome());
            if (!d.approved()) {
                continue;
            }
            String trade = rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty()))
                    .trade().id();
            out.println("F " + trade + " " + account);
            if (random.nextBoolean()) {
                rt.trades().close(trade, CloseRequest.all(50_100));
                out.println("C " + trade + " " + account);
            }
        }
    }
}
