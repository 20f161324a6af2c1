package io.riskgate.bench;

import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.security.ApiKeys;
import io.riskgate.security.Caller;
import io.riskgate.security.Role;
import io.riskgate.testing.TestRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an API key costs a request: {@link ApiKeys#authenticate} (format check, SHA-256 of the key, lookup in the
 * in-memory index of active keys, expiry) with 1,000 active keys, for a valid key and for an unknown one.
 * {@code mvn -Pbench test-compile exec:exec -Dbench.args="AuthenticationBenchmark"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class AuthenticationBenchmark {

    private ApiKeys keys;
    private String valid;
    private String unknown;

    @Setup
    public void keys() {
        var db = TestRuntime.memoryDatabase();
        RiskgateRuntime.migrate(db);
        keys = new ApiKeys(db, Clock.systemUTC());
        for (int i = 0; i < 1_000; i++) {
            String k = keys.create(new ApiKeys.Spec("exec-" + i, Set.of(Role.TRADER), Set.of("acct-" + i),
                    Duration.ofDays(1)), "bench").key();
            if (i == 500) {
                valid = k;
            }
        }
        unknown = valid.substring(0, valid.length() - 4) + "AAAA";
    }

    @Benchmark
    public Optional<Caller> validKey() {
        return keys.authenticate(valid);
    }

    @Benchmark
    public Optional<Caller> unknownKey() {
        return keys.authenticate(unknown);
    }
}
