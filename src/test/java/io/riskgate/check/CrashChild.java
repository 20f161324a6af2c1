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
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;

/**
 * The process {@link CrashTest} kills: riskgate over an H2 file database behind a Hikari pool, as the service runs it, with eight
 * threads checking seed 001's order on twenty accounts, filling every approval and closing every other fill. Each
 * answer it received is printed (one line, flushed) only after the call returned: what is printed was acknowledged.
 * <pre>D decisionId account outcome | F tradeId account | C tradeId account</pre>
 */
public final class CrashChild {

    static final int ACCOUNTS = 20;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        // the service's database: prepared by LocalDatabase (owner-only files, the password in db.secret), pooled
        String url = "jdbc:h2:file:" + dir.resolve("db");
        HikariDataSource db = new HikariDataSource();
        db.setJdbcUrl(url);
        db.setUsername("sa");
        db.setPassword(LocalDatabase.prepare(url, "sa", ""));
        RiskgateRuntime rt = RiskgateRuntime.start(Path.of(args[1]), Path.of(args[2]), "default", db,
                // seed 001's event time plus a minute: fills and closes land inside the reservations' lifetime
                Clock.fixed(io.riskgate.testing.TestRuntime.T0.plusSeconds(60), ZoneOffset.UTC),
                new SimpleMeterRegistry());
        out.println("READY");
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread worker = new Thread(() -> work(rt, out, thread), "crash-worker-" + t);
            worker.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void work(RiskgateRuntime rt, PrintStream out, int thread) {
        Random random = new Random(thread);
        for (int n = 0; ; n++) {
            String account = "crash-" + random.nextInt(ACCOUNTS);
            ObjectNode order = Requests.set(Requests.set(Requests.seed001(), "account", account), "clientOrderId",
                    "t" + thread + "-" + n);
            Decision d = rt.engine().check(order);
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
